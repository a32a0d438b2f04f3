"""The small read-only routes: models and liveness."""

from __future__ import annotations

import time
from collections.abc import Callable

import orjson

from ferrogate.routing import ModelRegistry

from .context import RequestContext
from .http import Request, Response

_JSON = ("content-type", "application/json")


class ListModels:
    def __init__(self, registry: ModelRegistry):
        created = int(time.time())
        models = [
            {"id": alias, "object": "model", "created": created, "owned_by": "ferrogate"}
            for alias in registry.aliases()
        ]
        self._models = models
        # The list only changes with the config, so it is encoded once for unrestricted callers.
        self._body = orjson.dumps({"object": "list", "data": models})

    async def __call__(self, request: Request, context: RequestContext) -> Response:
        key = context.caller.key
        if key is None or not key.models:
            return Response(200, [_JSON], self._body)
        allowed = [model for model in self._models if key.allows_model(model["id"])]
        return Response(200, [_JSON], orjson.dumps({"object": "list", "data": allowed}))


async def health(request: Request, context: RequestContext) -> Response:
    return Response(200, [_JSON], b'{"status":"ok"}')


class Metrics:
    """GET /metrics: Prometheus text (or OpenMetrics when asked), every worker's counts."""

    def __init__(self, metrics, multiprocess_dir: str | None, catch_up: Callable[[], None]):
        self._metrics = metrics
        self._dir = multiprocess_dir
        self._catch_up = catch_up  # hands the records still held to the sinks

    async def __call__(self, request: Request, context: RequestContext) -> Response:
        self._catch_up()
        body, content_type = self._metrics.render(self._dir, request.headers.get("accept"))
        return Response(200, [("content-type", content_type)], body)
