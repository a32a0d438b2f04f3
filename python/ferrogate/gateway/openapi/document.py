"""The whole OpenAPI document, and the handler that serves it as `GET /openapi.json`.

Hand-written as Python data rather than generated from the handlers: the gateway parses
bodies by hand (no models to introspect), and a module lets the operations share one
error table without a JSON file to ship as package data. tests/openapi keeps it true.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..context import RequestContext
from ..http import Request, Response
from .admin_schemas import (
    CACHE_FLUSHED,
    KEY_DELETED,
    KEY_FIELDS_REQUEST,
    KEY_LIST,
    KEY_VIEW,
    KEY_WITH_SECRET,
)
from .operations import error_responses, paths
from .schemas import (
    CHAT_COMPLETION,
    CHAT_COMPLETION_CHUNK,
    CHAT_MESSAGE,
    CHAT_REQUEST,
    CHAT_STREAM_EVENT,
    EMBEDDING_LIST,
    EMBEDDINGS_REQUEST,
    ERROR,
    HEALTH,
    MODEL_LIST,
    READINESS,
    SSE_EVENT,
    USAGE,
)
from .stats_schema import STATS

_DESCRIPTION = (
    "Ferrogate's own API: OpenAI's chat and embeddings in front of many providers, plus "
    "health, metrics and the admin API. Every failure uses OpenAI's error object. "
    "Keys are checked only when the gateway has a master key (FERROGATE_MASTER_KEY); "
    "without one every route but /admin/* is open and /admin/* answers 403."
)


def _header(description: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": schema}


HEADERS = {
    "RequestId": _header(
        "The client's own x-request-id when sane (printable ASCII, at most 128 characters), "
        "else one the gateway made.",
        {"type": "string", "minLength": 1, "maxLength": 128},
        required=True,
    ),
    "RetryAfter": _header("Whole seconds to wait before retrying.", {"type": "string"}),
    "Provider": _header("The provider that answered.", {"type": "string"}),
    "Model": _header("The upstream model id that answered.", {"type": "string"}),
    "Deployment": _header("The id of the deployment that answered.", {"type": "string"}),
    "Attempts": _header("Upstream attempts, retries and hedges included.", {"type": "string"}),
    "OverheadMs": _header("The gateway's own time, without the upstream's.", {"type": "string"}),
}


COMPONENT_SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": ERROR,
    "Usage": USAGE,
    "ChatMessage": CHAT_MESSAGE,
    "ChatCompletionRequest": CHAT_REQUEST,
    "ChatCompletion": CHAT_COMPLETION,
    "ChatCompletionChunk": CHAT_COMPLETION_CHUNK,
    "ChatStreamEvent": CHAT_STREAM_EVENT,
    "ChatSseEvent": SSE_EVENT,
    "EmbeddingsRequest": EMBEDDINGS_REQUEST,
    "EmbeddingList": EMBEDDING_LIST,
    "ModelList": MODEL_LIST,
    "Health": HEALTH,
    "Readiness": READINESS,
    "KeyFields": KEY_FIELDS_REQUEST,
    "Key": KEY_VIEW,
    "KeyWithSecret": KEY_WITH_SECRET,
    "KeyList": KEY_LIST,
    "KeyDeleted": KEY_DELETED,
    "CacheFlushed": CACHE_FLUSHED,
    "Stats": STATS,
}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Ferrogate", "version": "0.1.0", "description": _DESCRIPTION},
        "paths": paths(),
        "components": {
            "schemas": COMPONENT_SCHEMAS,
            "responses": error_responses(),
            "headers": HEADERS,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A virtual key (fg-...) or, for /admin/*, the master key.",
                },
                "apiKeyAuth": {"type": "apiKey", "in": "header", "name": "x-api-key"},
            },
        },
    }


class OpenApiJson:
    """GET /openapi.json: the document, encoded once."""

    def __init__(self) -> None:
        self._body = orjson.dumps(openapi_document())

    async def __call__(self, request: Request, context: RequestContext) -> Response:
        return Response(200, [("content-type", "application/json")], self._body)
