"""GET /ui: the dashboard, a page and its scripts and styles, read once from the package.

The files hold no figures and no secrets: the page asks /admin/stats (with the master key
the operator typed, kept in the tab's sessionStorage) every few seconds. The headers keep
the page to its own origin: no inline script, no framing, no referrer.
"""

from __future__ import annotations

from importlib import resources

from ..context import RequestContext
from ..http import Request, Response

_JS = "text/javascript; charset=utf-8"
# Path -> (file in static/, content type). The script is ES modules, one concern each:
# the session and refresh (dashboard.js), panels, charts, DOM building, number formats.
DASHBOARD_FILES = {
    "/ui": ("index.html", "text/html; charset=utf-8"),
    "/ui/dashboard.css": ("dashboard.css", "text/css; charset=utf-8"),
    **{f"/ui/{name}": (name, _JS) for name in
       ("dashboard.js", "panels.js", "charts.js", "dom.js", "format.js")},
}  # fmt: skip
DASHBOARD_PATHS = frozenset(DASHBOARD_FILES)
_SECURITY_HEADERS = [
    (
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    # Revalidated on each load: a gateway upgrade must not leave an old script running.
    ("cache-control", "no-cache"),
]


class StaticFile:
    def __init__(self, name: str, content_type: str):
        self._body = resources.files(__package__).joinpath("static", name).read_bytes()
        self._headers = [("content-type", content_type), *_SECURITY_HEADERS]

    async def __call__(self, request: Request, context: RequestContext) -> Response:
        return Response(200, list(self._headers), self._body)


def dashboard_routes() -> dict[str, dict[str, StaticFile]]:
    return {path: {"GET": StaticFile(name, kind)} for path, (name, kind) in DASHBOARD_FILES.items()}
