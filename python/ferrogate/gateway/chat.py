"""POST /v1/chat/completions: validate, admit, look up the cache, call the provider, settle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ferrogate.providers import ChatCall
from ferrogate.routing import ModelRegistry

from .capability_check import check_chat_capabilities
from .chat_request import parse_chat_request
from .context import RequestContext
from .http import Request, Response
from .stream_guard import guarded
from .timing import overhead_header

if TYPE_CHECKING:  # loaded only when the cache or keys are enabled
    from .admission import KeyAdmission
    from .cache_stage import CacheStage, CacheTicket
    from .grant import Grant

_JSON = ("content-type", "application/json")
_SSE_HEADERS = [
    ("content-type", "text/event-stream"),
    ("cache-control", "no-cache"),
    ("x-accel-buffering", "no"),
]


class ChatCompletions:
    def __init__(
        self,
        registry: ModelRegistry,
        cache: CacheStage | None = None,
        admission: KeyAdmission | None = None,
    ):
        self._registry = registry
        self._cache = cache
        self._admission = admission

    async def __call__(self, request: Request, context: RequestContext) -> Response:
        body = parse_chat_request(request.body)
        context.caller.check_model(body["model"])
        route = self._registry.resolve(body["model"])
        check_chat_capabilities(body, route.provider.capabilities, route.deployment.provider)
        key = context.caller.key
        grant = None
        if key is not None and self._admission is not None:
            grant = await self._admission.admit_chat(key, body, route.deployment.model)
        try:
            return await self._answer(request, context, body, route, grant)
        except BaseException:
            if grant is not None:
                await grant.release()  # nothing reached the client
            raise

    async def _answer(self, request, context, body, route, grant: Grant | None) -> Response:
        limit_headers = grant.headers if grant is not None else []
        ticket = await self._cache.lookup(request, body) if self._cache else None
        if ticket is not None and ticket.hit:
            if grant is not None:
                grant.settle_later({"prompt_tokens": 0, "completion_tokens": 0})  # no upstream cost
            return self._cached(ticket, body, context.started, limit_headers)
        call = ChatCall(body=body, raw=request.body, request_id=context.request_id)
        served_by = [
            ("x-ferrogate-provider", route.deployment.provider),
            ("x-ferrogate-model", route.deployment.model),
            *(ticket.headers() if ticket else ()),
            *limit_headers,
        ]
        if body.get("stream"):
            stream = await route.provider.stream(call)
            chunks = stream.chunks
            if ticket is not None:
                chunks = self._cache.remembering(ticket, chunks)
            if grant is not None:
                from .stream_settle import settling

                chunks = settling(chunks, stream.usage, grant)
            headers = [
                *_SSE_HEADERS,
                *served_by,
                overhead_header(context.started, stream.upstream_s),
            ]
            return Response(200, headers, stream=guarded(chunks, context.request_id))
        completion = await route.provider.complete(call)
        if ticket is not None:
            self._cache.remember(ticket, completion.body)
        if grant is not None:
            grant.settle_answer_later(completion.body)
        headers = [_JSON, *served_by, overhead_header(context.started, completion.upstream_s)]
        return Response(200, headers, completion.body)

    def _cached(
        self, ticket: CacheTicket, body: dict, started: float, limit_headers: list
    ) -> Response:
        answer = ticket.lookup.answer
        served_by = [("x-ferrogate-provider", "cache"), *ticket.headers(), *limit_headers]
        if not body.get("stream"):
            return Response(200, [_JSON, *served_by, overhead_header(started, 0.0)], answer.body)
        options = body.get("stream_options") or {}
        events = self._cache.replay(answer.body, options.get("include_usage") is True)
        return Response(
            200, [*_SSE_HEADERS, *served_by, overhead_header(started, 0.0)], stream=events
        )
