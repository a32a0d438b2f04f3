"""POST /v1/chat/completions: validate, admit, look up the cache, call the provider, settle."""

from __future__ import annotations

from time import perf_counter
from typing import TYPE_CHECKING

from ferrogate.limits.token_count import prompt_tokens
from ferrogate.providers import ChatCall
from ferrogate.routing import ModelRegistry, Route
from ferrogate.routing.candidates import RequestInfo
from ferrogate.routing.router import Routed

from .capability_check import chat_needs, check_chat_capabilities
from .chat_request import parse_chat_request
from .context import RequestContext
from .grant import usage_in
from .http import Request, Response
from .served_by import note_routing, served_by_headers, upstream_seconds
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
        record = context.record
        stage = perf_counter()
        body = parse_chat_request(request.body)
        record.stage("parse", stage)
        record.model, record.stream = body["model"], bool(body.get("stream"))
        context.caller.check_model(body["model"])
        route = self._registry.resolve(body["model"])
        needs = chat_needs(body)
        if not route.can_serve(needs):  # raises, naming what the first deployment lacks
            check_chat_capabilities(body, route.provider.capabilities, route.deployment.provider)
        key = context.caller.key
        grant = None
        if key is not None and self._admission is not None:
            stage = perf_counter()
            grant = await self._admission.admit_chat(key, body, route.deployment.model)
            record.stage("limits", stage)
        info = _request_info(body, route, needs, grant)
        try:
            return await self._answer(request, context, body, route, info, grant)
        except BaseException:
            if grant is not None:
                grant.release()  # nothing reached the client
            raise

    async def _answer(
        self, request, context, body, route, info: RequestInfo, grant: Grant | None
    ) -> Response:
        record = context.record
        limit_headers = grant.headers if grant is not None else []
        ticket = None
        if self._cache is not None:
            key = context.caller.key
            stage = perf_counter()
            ticket = await self._cache.lookup(request, body, key.id if key else None)
            record.stage("cache", stage)
            record.cache = ticket.outcome
            if ticket.hit:
                record.cache_similarity = ticket.lookup.similarity
        if ticket is not None and ticket.hit:
            if grant is not None:
                grant.settle(0, 0)  # no upstream cost
            return self._cached(ticket, body, context.started, limit_headers)
        call = ChatCall(body=body, request_id=context.request_id)
        routing_started = perf_counter()
        if body.get("stream"):
            routed = await route.router.stream(call, info)
            stream = routed.result
            served = self._served(routed, ticket, limit_headers, grant, record)
            record.stream_usage, record.chat_body = stream.usage, body
            chunks = stream.chunks
            if ticket is not None:
                chunks = self._cache.remembering(ticket, chunks)
            if grant is not None:
                from .stream_settle import settling

                chunks = settling(chunks, stream.usage, grant)
            upstream_s = upstream_seconds(routed, routing_started, stream.upstream_s)
            record.upstream_s = upstream_s
            headers = [*_SSE_HEADERS, *served, overhead_header(context.started, upstream_s)]
            return Response(200, headers, stream=chunks)
        routed = await route.router.complete(call, info)
        completion = routed.result
        served = self._served(routed, ticket, limit_headers, grant, record)
        usage = completion.usage if completion.usage is not None else usage_in(completion.body)
        _count_usage(record, usage)
        if ticket is not None:
            self._cache.remember(ticket, completion.body)
        if grant is not None:
            grant.settle_usage(usage)
        upstream_s = upstream_seconds(routed, routing_started, completion.upstream_s)
        record.upstream_s = upstream_s
        headers = [_JSON, *served, overhead_header(context.started, upstream_s)]
        return Response(200, headers, completion.body)

    def _served(
        self, routed: Routed, ticket, limit_headers: list, grant: Grant | None, record
    ) -> list:
        deployment = self._registry.deployment(routed.served_by.deployment_id)
        note_routing(record, routed, deployment)
        if grant is not None:  # priced and counted as the deployment that answered
            grant.model = deployment.model
        return [
            *served_by_headers(self._registry, routed),
            *(ticket.headers() if ticket else ()),
            *limit_headers,
        ]

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


def _request_info(
    body: dict, route: Route, needs: frozenset[str], grant: Grant | None
) -> RequestInfo:
    output = body.get("max_completion_tokens") or body.get("max_tokens")
    prompt = 0
    if grant is not None:
        prompt = grant.prompt_tokens
    elif route.counts_prompt:
        prompt = prompt_tokens(body, route.deployment.model)
    return RequestInfo(
        prompt_tokens=prompt,
        max_output_tokens=output if isinstance(output, int) and output > 0 else None,
        needs=needs,
    )


def _count_usage(record, usage: dict | None) -> None:
    """The tokens an upstream billed for this answer, from its `usage` object."""
    if usage is not None:
        record.prompt_tokens = _int(usage.get("prompt_tokens"))
        record.completion_tokens = _int(usage.get("completion_tokens"))


def _int(value) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
