"""POST /v1/chat/completions: validate, resolve the model, call the provider, answer or stream."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ferrogate.providers import ChatCall
from ferrogate.routing import ModelRegistry

from .capability_check import check_chat_capabilities
from .chat_request import parse_chat_request
from .http import Request, Response
from .stream_guard import guarded
from .timing import overhead_header

if TYPE_CHECKING:  # loaded only when the cache is enabled
    from .cache_stage import CacheStage, CacheTicket

_JSON = ("content-type", "application/json")
_SSE_HEADERS = [
    ("content-type", "text/event-stream"),
    ("cache-control", "no-cache"),
    ("x-accel-buffering", "no"),
]


class ChatCompletions:
    def __init__(self, registry: ModelRegistry, cache: CacheStage | None = None):
        self._registry = registry
        self._cache = cache

    async def __call__(self, request: Request, request_id: str, started: float) -> Response:
        body = parse_chat_request(request.body)
        route = self._registry.resolve(body["model"])
        check_chat_capabilities(body, route.provider.capabilities, route.deployment.provider)
        ticket = await self._cache.lookup(request, body) if self._cache else None
        if ticket is not None and ticket.hit:
            return self._cached(ticket, body, started)
        call = ChatCall(body=body, raw=request.body, request_id=request_id)
        served_by = [
            ("x-ferrogate-provider", route.deployment.provider),
            ("x-ferrogate-model", route.deployment.model),
            *(ticket.headers() if ticket else ()),
        ]
        if body.get("stream"):
            stream = await route.provider.stream(call)
            chunks = stream.chunks
            if ticket is not None:
                chunks = self._cache.remembering(ticket, chunks)
            headers = [*_SSE_HEADERS, *served_by, overhead_header(started, stream.upstream_s)]
            return Response(200, headers, stream=guarded(chunks, request_id))
        completion = await route.provider.complete(call)
        if ticket is not None:
            self._cache.remember(ticket, completion.body)
        headers = [_JSON, *served_by, overhead_header(started, completion.upstream_s)]
        return Response(200, headers, completion.body)

    def _cached(self, ticket: CacheTicket, body: dict, started: float) -> Response:
        answer = ticket.lookup.answer
        served_by = [("x-ferrogate-provider", "cache"), *ticket.headers()]
        if not body.get("stream"):
            return Response(200, [_JSON, *served_by, overhead_header(started, 0.0)], answer.body)
        options = body.get("stream_options") or {}
        events = self._cache.replay(answer.body, options.get("include_usage") is True)
        return Response(
            200, [*_SSE_HEADERS, *served_by, overhead_header(started, 0.0)], stream=events
        )
