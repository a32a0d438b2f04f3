"""The paths of Ferrogate's API and what each operation answers, status by status."""

from __future__ import annotations

from typing import Any

from ..dashboard import DASHBOARD_FILES
from .schemas import Schema, ref

Operation = dict[str, Any]

# Who may call: a virtual key or the master key, as a bearer token or in `x-api-key`.
# A gateway without a master key checks nothing, as the info description says.
KEYED = [{"bearerAuth": []}, {"apiKeyAuth": []}]
OPEN: list[dict] = []

# Error statuses: (component name, description).
ERRORS: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Invalid JSON, a missing or wrong-typed field (`param` names it)."),
    401: ("Unauthorized", "Missing, unknown or expired key."),
    403: ("Forbidden", "The key may not use this model, or the admin API is off."),
    404: ("NotFound", "Unknown model, key or path."),
    408: ("RequestTimeout", "The request body did not arrive within the server's body timeout."),
    413: ("PayloadTooLarge", "The body is over the gateway's --max-body-bytes."),
    415: ("UnsupportedMediaType", "A body labelled as something other than JSON."),
    429: ("RateLimited", "A rate limit (with `retry-after`) or the key's budget is spent."),
    500: ("ServerError", "The gateway failed; the message says no more than that."),
    502: ("BadGateway", "The upstream refused or reset the connection."),
    503: ("Unavailable", "A store, Redis or the upstream is unavailable; retry shortly."),
    504: ("GatewayTimeout", "The upstream did not answer within the deployment's timeout_s."),
}
_MODEL_CALL_STATUSES = (400, 401, 403, 404, 408, 413, 415, 429, 500, 502, 503, 504)
_KEYED_STATUSES = (401, 500, 503)
_ADMIN_STATUSES = (401, 403, 413, 500, 503)


def _json(schema: Schema) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _answer(description: str, content: dict[str, Any], **headers: Schema) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"x-request-id": {"$ref": "#/components/headers/RequestId"}, **headers},
        "content": content,
    }


def _errors(*statuses: int) -> dict[str, Any]:
    return {
        str(status): {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
        for status in sorted(statuses)
    }


def error_responses() -> dict[str, Any]:
    responses = {}
    for status, (name, description) in ERRORS.items():
        headers = (
            {"retry-after": {"$ref": "#/components/headers/RetryAfter"}} if status == 429 else {}
        )
        responses[name] = _answer(description, _json(ref("Error")), **headers)
    return responses


# Which deployment served a chat answer (components/headers in document.py).
_SERVED_BY = {
    "x-ferrogate-provider": "Provider",
    "x-ferrogate-model": "Model",
    "x-ferrogate-deployment": "Deployment",
    "x-ferrogate-attempts": "Attempts",
    "x-ferrogate-overhead-ms": "OverheadMs",
}


def _served_by_headers() -> dict[str, Schema]:
    return {name: {"$ref": f"#/components/headers/{part}"} for name, part in _SERVED_BY.items()}


_CACHE_PARAMETERS = [
    {
        "name": "cache-control",
        "in": "header",
        "description": "`no-cache`: do not answer from the cache; `no-store`: do not fill it.",
        "schema": {"type": "string"},
    },
    {
        "name": "x-ferrogate-cache-namespace",
        "in": "header",
        "description": "Share cached answers only within this namespace (not `key:...`).",
        "schema": {"type": "string"},
    },
    {
        "name": "x-ferrogate-cache-ttl",
        "in": "header",
        "description": "Seconds this answer may be served from the cache.",
        "schema": {"type": "integer", "minimum": 1},
    },
    {
        "name": "x-ferrogate-cache-threshold",
        "in": "header",
        "description": "Least cosine similarity of a semantic hit.",
        "schema": {"type": "number", "minimum": 0, "maximum": 1},
    },
]


def _chat() -> Operation:
    event_stream = {"schema": ref("ChatSseEvent")}
    return {
        "operationId": "createChatCompletion",
        "summary": "Chat completion, streamed (`stream: true`) or not",
        "security": KEYED,
        "parameters": _CACHE_PARAMETERS,
        "requestBody": {"required": True, "content": _json(ref("ChatCompletionRequest"))},
        "responses": {
            "200": _answer(
                "The answer: JSON, or an SSE stream when `stream` is true.",
                {**_json(ref("ChatCompletion")), "text/event-stream": event_stream},
                **_served_by_headers(),
            ),
            **_errors(*_MODEL_CALL_STATUSES),
            "default": _answer(
                "Any other upstream error status, passed on with its message.", _json(ref("Error"))
            ),
        },
    }


def _embeddings() -> Operation:
    return {
        "operationId": "createEmbeddings",
        "summary": "Embeddings from an OpenAI, Azure or Gemini deployment",
        "security": KEYED,
        "requestBody": {"required": True, "content": _json(ref("EmbeddingsRequest"))},
        "responses": {
            "200": _answer("The embeddings, in input order.", _json(ref("EmbeddingList"))),
            **_errors(*_MODEL_CALL_STATUSES),
            "default": _answer(
                "Any other upstream error status, passed on with its message.", _json(ref("Error"))
            ),
        },
    }


def _get(operation_id: str, summary: str, answer: dict[str, Any], *statuses: int, **more):
    return {
        "operationId": operation_id,
        "summary": summary,
        "responses": {"200": answer, **_errors(*statuses)},
        **more,
    }


def _info_paths() -> dict[str, Any]:
    metrics = {"text/plain": {"schema": {"type": "string"}}}
    metrics["application/openmetrics-text"] = metrics["text/plain"]
    return {
        "/v1/models": {
            "get": _get(
                "listModels",
                "The models this gateway serves now and the caller's key may use",
                _answer("The models.", _json(ref("ModelList"))),
                *_KEYED_STATUSES,
                security=KEYED,
            )
        },
        "/health": {
            "get": _get(
                "health",
                "Liveness: the process answers",
                _answer("Alive.", _json(ref("Health"))),
                500,
                security=OPEN,
            )
        },
        "/ready": {
            "get": {
                "operationId": "ready",
                "summary": "Readiness: the configured Redis answers",
                "security": OPEN,
                "responses": {
                    "200": _answer("Ready.", _json(ref("Readiness"))),
                    "503": _answer("Redis does not answer.", _json(ref("Readiness"))),
                    **_errors(500),
                },
            }
        },
        "/metrics": {
            "get": _get(
                "metrics",
                "Prometheus metrics (OpenMetrics when asked), summed over workers",
                _answer("The metrics.", metrics),
                500,
                security=OPEN,
            )
        },
        "/openapi.json": {
            "get": _get(
                "openapi",
                "This document",
                _answer("OpenAPI 3.1.", _json({"type": "object"})),
                500,
                security=OPEN,
            )
        },
    }


_KEY_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "The key's id (the part between `fg-` and the next `-`).",
    "schema": {"type": "string"},
}
_KEY_FIELDS_BODY = {"required": False, "content": _json(ref("KeyFields"))}
# A created key's id feeds the key routes, so stateful runs reach real keys.
_KEY_LINKS = {
    name: {"operationId": operation_id, "parameters": {"id": "$response.body#/id"}}
    for name, operation_id in (
        ("GetKey", "getKey"),
        ("UpdateKey", "updateKey"),
        ("RotateKey", "rotateKey"),
        ("DeleteKey", "deleteKey"),
    )
}


def _admin_operation(
    operation_id: str, summary: str, answer: dict[str, Any], *statuses: int, **more
) -> Operation:
    return {
        "operationId": operation_id,
        "summary": summary,
        "security": KEYED,
        "responses": {"200": answer, **_errors(*_ADMIN_STATUSES, *statuses)},
        **more,
    }


def _admin_paths() -> dict[str, Any]:
    key = _answer("The key.", _json(ref("Key")))
    created = _answer(
        "The new key; `key` is its secret, shown only now.", _json(ref("KeyWithSecret"))
    )
    created["links"] = _KEY_LINKS
    create = _admin_operation(
        "createKey", "Create a virtual key", created, 400, 408, requestBody=_KEY_FIELDS_BODY
    )
    create["responses"]["201"] = create["responses"].pop("200")
    return {
        "/admin/keys": {
            "get": _admin_operation(
                "listKeys", "Every key", _answer("The keys.", _json(ref("KeyList")))
            ),
            "post": create,
        },
        "/admin/keys/{id}": {
            "parameters": [_KEY_ID],
            "get": _admin_operation("getKey", "One key", key, 404),
            "patch": _admin_operation(
                "updateKey",
                "Change a key's fields",
                key,
                400,
                404,
                408,
                requestBody=_KEY_FIELDS_BODY,
            ),
            "delete": _admin_operation(
                "deleteKey",
                "Revoke a key",
                _answer("Deleted.", _json(ref("KeyDeleted"))),
                404,
            ),
        },
        "/admin/keys/{id}/rotate": {
            "parameters": [_KEY_ID],
            "post": _admin_operation(
                "rotateKey",
                "A new secret for the same key; the old one stops working",
                _answer("The key and its new secret.", _json(ref("KeyWithSecret"))),
                404,
            ),
        },
        "/admin/cache/{namespace}": {
            "parameters": [
                {"name": "namespace", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "delete": _admin_operation(
                "flushCacheNamespace",
                "Forget every cached answer of one namespace",
                _answer("Flushed.", _json(ref("CacheFlushed"))),
            ),
        },
    }


def _operation_id(file_name: str) -> str:
    """dashboard.css -> dashboardFileDashboardCss: one id per file, stable and unique."""
    words = file_name.replace(".", " ").split()
    return "dashboardFile" + "".join(word.capitalize() for word in words)


def _dashboard_paths() -> dict[str, Any]:
    paths = {
        path: {
            "get": _get(
                _operation_id(name),
                "The dashboard (a login form when a master key is set)"
                if path == "/ui"
                else f"The dashboard's {name}",
                _answer("The file.", {kind.split(";")[0]: {"schema": {"type": "string"}}}),
                500,
                security=OPEN,
            )
        }
        for path, (name, kind) in DASHBOARD_FILES.items()
    }
    stats = _admin_operation(
        "stats",
        "The last 15 minutes from every worker: traffic, latency, cache, spend, deployments",
        _answer("The figures.", _json(ref("Stats"))),
    )
    stats["description"] = "The master key when one is set; an open gateway answers anyone."
    paths["/admin/stats"] = {"get": stats}
    return paths


def paths() -> dict[str, Any]:
    return {
        "/v1/chat/completions": {"post": _chat()},
        "/v1/embeddings": {"post": _embeddings()},
        **_info_paths(),
        **_admin_paths(),
        **_dashboard_paths(),
    }
