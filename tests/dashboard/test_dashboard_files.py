"""The dashboard's files: served by both front ends with the page's CSP, without a key,
and written so that the CSP holds (no inline script or style, the key never stored or
put into markup)."""

from __future__ import annotations

import re
from importlib import resources

import httpx
import pytest

from tests.dashboard.stack import MASTER_KEY, gateway

STATIC = resources.files("ferrogate.gateway.dashboard").joinpath("static")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
FILES = {
    "/ui": ("index.html", "text/html"),
    "/ui/dashboard.css": ("dashboard.css", "text/css"),
    **{
        f"/ui/{name}": (name, "text/javascript")
        for name in ("dashboard.js", "panels.js", "charts.js", "dom.js", "format.js")
    },
}
SCRIPTS = [name for name, kind in FILES.values() if kind == "text/javascript"]


def _text(name: str) -> str:
    return STATIC.joinpath(name).read_text()


@pytest.mark.parametrize("server", ["granian", "robyn"])
def test_each_file_is_served_with_its_csp_and_no_key(tmp_path, server):
    settings = {"keys": {"sqlite_path": str(tmp_path / "keys.sqlite3")}}
    with (
        gateway(tmp_path, MASTER_KEY, settings, server=server) as url,
        httpx.Client(base_url=url, timeout=10) as http,
    ):
        answers = {path: http.get(path) for path in FILES}
        stats = http.get("/admin/stats")

    for path, (name, kind) in FILES.items():
        answer = answers[path]
        assert answer.status_code == 200, (path, answer.text)
        assert answer.headers["content-type"].startswith(kind), path
        assert answer.headers["content-security-policy"] == CSP, path
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.content == STATIC.joinpath(name).read_bytes(), path
    # The page is public; its figures are not: the page shows its login form on this 401.
    assert stats.status_code == 401 and stats.json()["error"]["message"]


def test_the_page_needs_nothing_the_csp_refuses():
    page = _text("index.html")
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts == ['<script type="module" src="/ui/dashboard.js">']  # deferred, as modules are
    assert "<style" not in page and not re.search(r"\sstyle\s*=", page)
    assert not re.search(r"\son[a-z]+\s*=", page)  # no inline event handlers
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing from elsewhere
    # The key's input has no name: a form sent without the script carries no key.
    [key_input] = re.findall(r"<input\b[^>]*>", page)
    assert 'type="password"' in key_input and "name=" not in key_input


def test_the_scripts_write_text_and_keep_the_key_in_the_session():
    for name in SCRIPTS:
        script = _text(name)
        for refused in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert refused not in script, (name, refused)
        assert "localStorage" not in script and "document.cookie" not in script, name
        assert not re.search(r"setAttribute\(\s*[\"']style", script), name
        # Modules import each other from this origin only.
        for source in re.findall(r"^import .* from \"([^\"]+)\";$", script, re.MULTILINE):
            assert source.startswith("./") and source.removeprefix("./") in SCRIPTS, source
    assert 'cache: "no-store"' in _text("dashboard.js")


def test_every_served_file_is_listed_here():
    from ferrogate.gateway.dashboard import DASHBOARD_FILES

    assert set(DASHBOARD_FILES) == set(FILES)
    on_disk = {item.name for item in STATIC.iterdir()}
    assert on_disk == {name for name, _ in FILES.values()}


def test_the_dashboard_stays_small():
    total = sum(len(STATIC.joinpath(name).read_bytes()) for name, _ in FILES.values())
    assert total < 40_000, total
