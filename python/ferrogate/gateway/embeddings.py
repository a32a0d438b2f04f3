"""POST /v1/embeddings: validate, resolve the model, refuse if it cannot embed, pass on."""

from __future__ import annotations

from ferrogate.providers import EmbeddingCall
from ferrogate.routing import ModelRegistry

from .capability_check import check_embeddings_capability
from .embeddings_request import parse_embeddings_request
from .http import Request, Response
from .timing import overhead_header

_JSON = ("content-type", "application/json")


class CreateEmbeddings:
    def __init__(self, registry: ModelRegistry):
        self._registry = registry

    async def __call__(self, request: Request, request_id: str, started: float) -> Response:
        body = parse_embeddings_request(request.body)
        route = self._registry.resolve(body["model"])
        check_embeddings_capability(
            route.alias, route.provider.capabilities, route.deployment.provider
        )
        call = EmbeddingCall(body=body, raw=request.body, request_id=request_id)
        result = await route.provider.embed(call)
        headers = [
            _JSON,
            ("x-ferrogate-provider", route.deployment.provider),
            ("x-ferrogate-model", route.deployment.model),
            overhead_header(started, result.upstream_s),
        ]
        return Response(200, headers, result.body)
