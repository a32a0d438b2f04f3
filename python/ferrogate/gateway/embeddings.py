"""POST /v1/embeddings: validate, resolve the model, refuse if it cannot embed, pass on."""

from __future__ import annotations

from ferrogate.errors import InvalidRequest
from ferrogate.providers import EmbeddingCall
from ferrogate.routing import ModelRegistry

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
        if not route.provider.capabilities.embeddings:
            raise InvalidRequest(
                f"The model `{route.alias}` is served by the `{route.deployment.provider}` "
                "provider, which does not support embeddings.",
                param="model",
                code="unsupported_capability",
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
