"""POST /v1/embeddings: validate, admit, resolve the model, refuse if it cannot embed, pass on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ferrogate.providers import EmbeddingCall
from ferrogate.routing import ModelRegistry

from .capability_check import check_embeddings_capability
from .context import RequestContext
from .embeddings_request import parse_embeddings_request
from .http import Request, Response
from .timing import overhead_header

if TYPE_CHECKING:
    from .admission import KeyAdmission

_JSON = ("content-type", "application/json")


class CreateEmbeddings:
    def __init__(self, registry: ModelRegistry, admission: KeyAdmission | None = None):
        self._registry = registry
        self._admission = admission

    async def __call__(self, request: Request, context: RequestContext) -> Response:
        body = parse_embeddings_request(request.body)
        context.caller.check_model(body["model"])
        route = self._registry.resolve(body["model"])
        check_embeddings_capability(
            route.alias, route.provider.capabilities, route.deployment.provider
        )
        key = context.caller.key
        grant = None
        if key is not None and self._admission is not None:
            grant = await self._admission.admit_embeddings(key, body, route.deployment.model)
        call = EmbeddingCall(body=body, raw=request.body, request_id=context.request_id)
        try:
            result = await route.provider.embed(call)
        except BaseException:
            if grant is not None:
                await grant.release()
            raise
        headers = [
            _JSON,
            ("x-ferrogate-provider", route.deployment.provider),
            ("x-ferrogate-model", route.deployment.model),
            overhead_header(context.started, result.upstream_s),
        ]
        if grant is not None:
            grant.settle_answer_later(result.body)
            headers.extend(grant.headers)
        return Response(200, headers, result.body)
