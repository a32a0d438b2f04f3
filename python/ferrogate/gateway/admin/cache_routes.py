"""DELETE /admin/cache/{namespace}: forget every cached answer of one namespace."""

from __future__ import annotations

from urllib.parse import unquote

import orjson

from ferrogate.errors import ServiceUnavailable

from ..cache_stage import CacheStage
from ..http import Response


async def flush_namespace(cache: CacheStage, namespace: str) -> Response:
    name = unquote(namespace)
    removed = await cache.flush_namespace(name)
    unreached = [tier for tier, count in removed.items() if count is None]
    if unreached:
        raise ServiceUnavailable(
            f"Redis is unreachable: the namespace was flushed from this instance only, not from "
            f"{', '.join(unreached)}. Retry once Redis is back."
        )
    body = {"namespace": name, "flushed": True, "removed": removed}
    return Response(200, [("content-type", "application/json")], orjson.dumps(body))
