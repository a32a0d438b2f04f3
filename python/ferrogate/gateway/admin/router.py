"""Routes under `/admin/`: the master key first, then the path decides.

Paths carry ids (`/admin/keys/{id}`), so they are matched by segments here rather than
in the core's exact-path table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ferrogate.errors import MethodNotAllowed, NotFound, ServiceUnavailable

from ..context import RequestContext
from ..http import Request, Response

if TYPE_CHECKING:
    from ..auth import Authenticator
    from ..cache_stage import CacheStage
    from .keys_routes import KeysAdmin
    from .stats_route import StatsRoute


class AdminApi:
    def __init__(
        self,
        authenticator: Authenticator,
        keys: KeysAdmin | None,
        cache: CacheStage | None,
        stats: StatsRoute | None = None,
    ):
        self._authenticator = authenticator
        self._keys = keys
        self._cache = cache
        self._stats = stats

    async def __call__(self, request: Request, context: RequestContext) -> Response:
        parts = request.path.strip("/").split("/")[1:]  # after "admin"
        method = request.method
        if parts == ["stats"]:
            return await self._stats_route(method, request)
        self._authenticator.require_master(request.headers)
        if parts[:1] == ["keys"] and self._keys is not None:
            from ferrogate.keys.store import StoreUnavailable

            try:
                return await self._keys_route(method, parts[1:], request)
            except StoreUnavailable as exc:
                raise ServiceUnavailable(
                    "The key store is unavailable; please retry shortly."
                ) from exc
        if parts[:1] == ["cache"] and len(parts) == 2:
            _allow(method, "DELETE")
            if self._cache is None:
                raise ServiceUnavailable("The response cache is not enabled.", code="cache_off")
            from .cache_routes import flush_namespace

            return await flush_namespace(self._cache, parts[1])
        raise NotFound(f"Unknown request URL: {method} {request.path}.")

    async def _stats_route(self, method: str, request: Request) -> Response:
        # An open gateway has no keys and no secrets to show: its dashboard needs no login.
        if not self._authenticator.open:
            self._authenticator.require_master(request.headers)
        _allow(method, "GET")
        if self._stats is None:
            raise ServiceUnavailable(
                "The dashboard's figures are off (telemetry.dashboard: false).", code="stats_off"
            )
        return await self._stats()

    async def _keys_route(self, method: str, parts: list[str], request: Request) -> Response:
        keys = self._keys
        if not parts:
            _allow(method, "GET", "POST")
            return await (keys.list() if method == "GET" else keys.create(request.body))
        if len(parts) == 1:
            _allow(method, "GET", "PATCH", "DELETE")
            if method == "GET":
                return await keys.get(parts[0])
            if method == "PATCH":
                return await keys.patch(parts[0], request.body)
            return await keys.delete(parts[0])
        if len(parts) == 2 and parts[1] == "rotate":
            _allow(method, "POST")
            return await keys.rotate(parts[0])
        raise NotFound(f"Unknown request URL: {method} {request.path}.")


def _allow(method: str, *allowed: str) -> None:
    if method not in allowed:
        error = MethodNotAllowed(f"Method {method} is not allowed here.")
        error.headers.append(("allow", ", ".join(allowed)))
        raise error
