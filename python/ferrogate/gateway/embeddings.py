"""POST /v1/embeddings: validate, admit, resolve the model, refuse if it cannot embed, pass on."""

from __future__ import annotations

from time import perf_counter
from typing import TYPE_CHECKING

from ferrogate.providers import EmbeddingCall
from ferrogate.routing import ModelRegistry
from ferrogate.routing.candidates import RequestInfo

from .capability_check import check_embeddings_capability
from .context import RequestContext
from .embeddings_request import parse_embeddings_request
from .http import Request, Response
from .served_by import note_routing, served_by_headers, upstream_seconds
from .timing import overhead_header

if TYPE_CHECKING:
    from .admission import KeyAdmission

_JSON = ("content-type", "application/json")
_EMBEDDINGS = frozenset({"embeddings"})


class CreateEmbeddings:
    def __init__(self, registry: ModelRegistry, admission: KeyAdmission | None = None):
        self._registry = registry
        self._admission = admission

    async def __call__(self, request: Request, context: RequestContext) -> Response:
        body = parse_embeddings_request(request.body)
        context.record.model = body["model"]
        context.caller.check_model(body["model"])
        route = self._registry.resolve(body["model"])
        if not route.can_serve(_EMBEDDINGS):
            check_embeddings_capability(
                route.alias, route.provider.capabilities, route.deployment.provider
            )
        key = context.caller.key
        grant = None
        if key is not None and self._admission is not None:
            grant = await self._admission.admit_embeddings(key, body, route.deployment.model)
        call = EmbeddingCall(body=body, request_id=context.request_id)
        routing_started = perf_counter()
        try:
            routed = await route.router.embed(call, RequestInfo(needs=_EMBEDDINGS))
        except BaseException:
            if grant is not None:
                grant.release()
            raise
        result = routed.result
        note_routing(
            context.record, routed, self._registry.deployment(routed.served_by.deployment_id)
        )
        upstream_s = upstream_seconds(routed, routing_started, result.upstream_s)
        context.record.upstream_s = upstream_s
        headers = [
            _JSON,
            *served_by_headers(self._registry, routed),
            overhead_header(context.started, upstream_s),
        ]
        if grant is not None:
            grant.model = self._registry.deployment(routed.served_by.deployment_id).model
            grant.settle_answer(result.body)
            headers.extend(grant.headers)
        return Response(200, headers, result.body)
