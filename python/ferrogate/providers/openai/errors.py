"""Upstream error answers passed on in OpenAI's shape with the upstream's status."""

from __future__ import annotations

import orjson

from ferrogate.errors import UpstreamError


def upstream_error(status: int, body: bytes, provider: str) -> UpstreamError:
    message = _message_from(body) or f"{provider} answered with HTTP {status}"
    error = UpstreamError(message, status=status, provider=provider, upstream_body=body)
    details = _error_object(body)
    if details is not None:
        # Keep the upstream's own type and code: SDKs branch on them.
        error.type = details.get("type") or error.type
        error.code = details.get("code") or error.code
        error.param = details.get("param")
    return error


def _error_object(body: bytes) -> dict | None:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    return error if isinstance(error, dict) else None


def _message_from(body: bytes) -> str | None:
    details = _error_object(body)
    if details is not None and isinstance(details.get("message"), str):
        return details["message"]
    text = body[:500].decode("utf-8", "replace").strip()
    return text or None
