"""GET /ready: the gateway can serve, and the Redis it was given (if any) answers."""

from __future__ import annotations

import logging

import orjson

from .context import RequestContext
from .http import Request, Response

log = logging.getLogger("ferrogate.gateway")
_JSON = ("content-type", "application/json")
_PING_TIMEOUT_S = 1.0


class Readiness:
    def __init__(self, redis_url: str | None):
        self._redis_url = redis_url
        self._client = None

    async def __call__(self, request: Request, context: RequestContext) -> Response:
        checks = {}
        if self._redis_url:
            checks["redis"] = await self._redis_answers()
        ready = all(checks.values())
        body = {"status": "ready" if ready else "not_ready", "checks": checks}
        return Response(200 if ready else 503, [_JSON], orjson.dumps(body))

    async def _redis_answers(self) -> bool:
        if self._client is None:
            # Imported here so a gateway without Redis never loads the client.
            from redis.asyncio import Redis

            self._client = Redis.from_url(
                self._redis_url,
                socket_connect_timeout=_PING_TIMEOUT_S,
                socket_timeout=_PING_TIMEOUT_S,
            )
        try:
            return bool(await self._client.ping())
        except Exception as exc:  # any failure means "not ready", and says why in the log
            log.warning("readiness: redis did not answer: %s", type(exc).__name__)
            return False

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
