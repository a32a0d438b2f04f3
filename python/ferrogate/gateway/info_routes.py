"""The small read-only routes: models and liveness."""

from __future__ import annotations

import time

import orjson

from ferrogate.routing import ModelRegistry

from .http import Request, Response

_JSON = ("content-type", "application/json")


class ListModels:
    def __init__(self, registry: ModelRegistry):
        created = int(time.time())
        models = [
            {"id": alias, "object": "model", "created": created, "owned_by": "ferrogate"}
            for alias in registry.aliases()
        ]
        # The list only changes with the config, so it is encoded once.
        self._body = orjson.dumps({"object": "list", "data": models})

    async def __call__(self, request: Request, request_id: str, started: float) -> Response:
        return Response(200, [_JSON], self._body)


async def health(request: Request, request_id: str, started: float) -> Response:
    return Response(200, [_JSON], b'{"status":"ok"}')
