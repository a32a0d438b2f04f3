"""POST /v1/chat/completions: validate, resolve the model, call the provider, answer or stream."""

from __future__ import annotations

from ferrogate.providers import ChatCall
from ferrogate.routing import ModelRegistry

from .capability_check import check_chat_capabilities
from .chat_request import parse_chat_request
from .http import Request, Response
from .stream_guard import guarded
from .timing import overhead_header

_JSON = ("content-type", "application/json")
_SSE_HEADERS = [
    ("content-type", "text/event-stream"),
    ("cache-control", "no-cache"),
    ("x-accel-buffering", "no"),
]


class ChatCompletions:
    def __init__(self, registry: ModelRegistry):
        self._registry = registry

    async def __call__(self, request: Request, request_id: str, started: float) -> Response:
        body = parse_chat_request(request.body)
        route = self._registry.resolve(body["model"])
        check_chat_capabilities(body, route.provider.capabilities, route.deployment.provider)
        call = ChatCall(body=body, raw=request.body, request_id=request_id)
        served_by = [
            ("x-ferrogate-provider", route.deployment.provider),
            ("x-ferrogate-model", route.deployment.model),
        ]
        if body.get("stream"):
            stream = await route.provider.stream(call)
            headers = [*_SSE_HEADERS, *served_by, overhead_header(started, stream.upstream_s)]
            return Response(200, headers, stream=guarded(stream.chunks, request_id))
        completion = await route.provider.complete(call)
        headers = [_JSON, *served_by, overhead_header(started, completion.upstream_s)]
        return Response(200, headers, completion.body)
