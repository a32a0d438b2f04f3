"""Requests a front end refuses before the core parses them, in OpenAI's error shape.

The OpenAI routes read their body as JSON whatever it is labelled; a body labelled as
something else (a form, multipart, plain text) is a client mistake worth naming, not a
JSON error to guess at. No content type at all is taken as JSON, as curl users expect.
"""

from __future__ import annotations

from collections.abc import Mapping

from ferrogate.errors import InvalidRequest

_JSON_ROUTES = frozenset({"/v1/chat/completions", "/v1/embeddings"})


class UnsupportedMediaType(InvalidRequest):
    status = 415
    code = "unsupported_media_type"


class RequestTimeout(InvalidRequest):
    status = 408
    code = "request_timeout"


def content_type_refusal(
    method: str, path: str, headers: Mapping[str, str]
) -> UnsupportedMediaType | None:
    if method != "POST" or path.rstrip("/") not in _JSON_ROUTES:
        return None
    declared = headers.get("content-type")
    if declared is None:
        return None
    media_type = declared.partition(";")[0].strip().lower()[:100]
    if media_type == "application/json" or media_type.endswith("+json"):
        return None
    return UnsupportedMediaType(
        f"Unsupported content type {media_type or '(empty)'!r}: "
        "send the request body as JSON with 'Content-Type: application/json'."
    )


def body_timeout(timeout_s: float) -> RequestTimeout:
    return RequestTimeout(f"The request body did not arrive within {timeout_s:g}s.")
