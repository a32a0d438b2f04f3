"""Anthropic's errors -> OpenAI's error shape, with the status an OpenAI client expects.

Anthropic answers `{"type": "error", "error": {"type", "message"}, "request_id"}`, in the
body of an error status or as an `error` event in a stream. Its statuses pass through where
OpenAI uses the same one. Two have no OpenAI counterpart:
- 529 overloaded_error -> 503, code "overloaded": 503 is what HTTP tooling, load balancers
  and OpenAI itself use for "busy, retry later", and OpenAI's SDKs retry it and raise
  InternalServerError as they would for 529. The 529 stays visible in the code and in the
  `x-ferrogate-upstream-status` header, set whenever the status was changed.
- 402 billing_error -> 429 insufficient_quota, OpenAI's answer for an account that cannot pay.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import orjson

from ferrogate.errors import UpstreamError
from ferrogate.providers.sse import error_event
from ferrogate.providers.upstream_json import mapping, string


class OpenAIError(NamedTuple):
    status: int
    type: str
    code: str | None


_BY_TYPE = {
    "invalid_request_error": OpenAIError(400, "invalid_request_error", None),
    "authentication_error": OpenAIError(401, "authentication_error", "invalid_api_key"),
    "billing_error": OpenAIError(429, "insufficient_quota", "insufficient_quota"),
    "permission_error": OpenAIError(403, "permission_error", None),
    "not_found_error": OpenAIError(404, "invalid_request_error", "not_found"),
    "request_too_large": OpenAIError(413, "invalid_request_error", "request_too_large"),
    "rate_limit_error": OpenAIError(429, "rate_limit_error", "rate_limit_exceeded"),
    "api_error": OpenAIError(500, "server_error", "api_error"),
    "timeout_error": OpenAIError(504, "server_error", "upstream_timeout"),
    "overloaded_error": OpenAIError(503, "server_error", "overloaded"),
}

# For bodies without Anthropic's error object, e.g. from a proxy in front of it.
_TYPE_BY_STATUS = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}


def upstream_error(status: int, body: bytes, provider: str) -> UpstreamError:
    details = _error_object(body)
    kind = string(details.get("type")) or ""
    mapped = _BY_TYPE.get(kind) or _BY_TYPE.get(_TYPE_BY_STATUS.get(status, ""))
    if mapped is None:
        mapped = OpenAIError(status if status < 600 else 502, "upstream_error", "upstream_error")
    message = string(details.get("message")) or _body_text(body)
    message = message or f"{provider} answered HTTP {status}"
    error = UpstreamError(message, status=mapped.status, provider=provider, upstream_body=body)
    error.type, error.code = mapped.type, mapped.code
    if mapped.status != status:
        error.headers.append(("x-ferrogate-upstream-status", str(status)))
    return error


def stream_error_event(payload: dict[str, Any], provider: str) -> bytes:
    """The OpenAI error event for an Anthropic `error` event that arrived mid-stream."""
    details = mapping(payload.get("error"))
    kind = string(details.get("type")) or "api_error"
    mapped = _BY_TYPE.get(kind, _BY_TYPE["api_error"])
    # Named as a failure of the upstream, so a client can tell it from a gateway fault.
    said = string(details.get("message")) or "no message"
    message = f"{provider} failed mid-stream with {kind}: {said}"
    return error_event(message, mapped.code or mapped.type, mapped.type)


def _error_object(body: bytes) -> dict[str, Any]:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return {}
    error = parsed.get("error") if isinstance(parsed, dict) else None
    return error if isinstance(error, dict) else {}


def _body_text(body: bytes) -> str:
    return body[:500].decode("utf-8", "replace").strip()
