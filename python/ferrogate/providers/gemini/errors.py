"""Google's `{"error": {"code", "message", "status", "details"}}` in OpenAI's error shape.

The status is the one an OpenAI SDK user expects for the same failure, so the SDK raises
its usual typed exception: an invalid key (Google: 400 INVALID_ARGUMENT, reason
API_KEY_INVALID) becomes 401 invalid_api_key, an overloaded model (503 UNAVAILABLE) stays
503, and quota or rate limits (429 RESOURCE_EXHAUSTED) stay 429 with their retry delay.
"""

from __future__ import annotations

import math
from typing import Any

import orjson

from ferrogate.errors import UpstreamError
from ferrogate.providers.upstream_json import string

PROVIDER = "gemini"

# Google status -> (HTTP status, OpenAI type, OpenAI code)
_BY_STATUS: dict[str, tuple[int, str, str | None]] = {
    "INVALID_ARGUMENT": (400, "invalid_request_error", None),
    "FAILED_PRECONDITION": (400, "invalid_request_error", "failed_precondition"),
    "OUT_OF_RANGE": (400, "invalid_request_error", None),
    "UNAUTHENTICATED": (401, "invalid_request_error", "invalid_api_key"),
    "PERMISSION_DENIED": (403, "invalid_request_error", "permission_denied"),
    "NOT_FOUND": (404, "invalid_request_error", "not_found"),
    "RESOURCE_EXHAUSTED": (429, "requests", "rate_limit_exceeded"),
    "INTERNAL": (500, "server_error", "internal_error"),
    "UNAVAILABLE": (503, "server_error", "service_unavailable"),
    "DEADLINE_EXCEEDED": (504, "server_error", "timeout"),
}
_BAD_KEY = (401, "invalid_request_error", "invalid_api_key")
_BAD_KEY_REASONS = frozenset({"API_KEY_INVALID", "API_KEY_EXPIRED"})
_RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


def upstream_error(status: int, body: bytes) -> UpstreamError:
    details = google_error(body)
    if details is None:
        text = body[:500].decode("utf-8", "replace").strip()
        message = text or f"{PROVIDER} answered with HTTP {status}"
        return UpstreamError(message, status=status, provider=PROVIDER, upstream_body=body)
    return _mapped(details, status, body)


def google_error(body: bytes) -> dict[str, Any] | None:
    """The `error` object of a Google error body (a bare object, or one in an array)."""
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if isinstance(parsed, list) and parsed:
        parsed = parsed[0]
    error = parsed.get("error") if isinstance(parsed, dict) else None
    return error if isinstance(error, dict) else None


def _mapped(details: dict[str, Any], status: int, body: bytes) -> UpstreamError:
    fallback = (status, "invalid_request_error" if status < 500 else "server_error", None)
    entries = details.get("details") if isinstance(details.get("details"), list) else []
    reasons = {string(entry.get("reason")) for entry in entries if isinstance(entry, dict)}
    mapped = _BAD_KEY if reasons & _BAD_KEY_REASONS else None
    google_status = string(details.get("status")) or ""
    http_status, error_type, code = mapped or _BY_STATUS.get(google_status, fallback)
    message = string(details.get("message")) or f"{PROVIDER} answered with HTTP {status}"
    error = UpstreamError(message, status=http_status, provider=PROVIDER, upstream_body=body)
    error.type, error.code = error_type, code
    delay = _retry_delay(entries)
    if delay is not None:
        error.headers.append(("retry-after", delay))
    return error


def _retry_delay(entries: list[Any]) -> str | None:
    """Whole seconds from a RetryInfo detail such as {"retryDelay": "7.25s"}, rounded up."""
    for entry in entries:
        if isinstance(entry, dict) and entry.get("@type") == _RETRY_INFO:
            delay = str(entry.get("retryDelay", "")).removesuffix("s")
            try:
                return str(max(1, math.ceil(float(delay))))
            except (ValueError, OverflowError):
                return None
    return None
