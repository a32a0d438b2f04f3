"""A fault's error status in each provider's own error format.

The status is answered as configured (a 503 stays 503 even where the provider would say
529), so routing tests control exactly what the gateway sees; the body is what that
provider sends for the nearest error it has.
"""

from __future__ import annotations

import math

import orjson

from .anthropic.errors import ERRORS as ANTHROPIC_ERRORS
from .azure.errors import azure_error_answer
from .errors import error_body
from .gemini.errors import error_body as google_error_body
from .scenario import Ask
from .scenario_errors import OPENAI_ERRORS, SERVER_ERROR, Headers

_JSON: Headers = [("content-type", "application/json")]
_OVERLOADED = frozenset({503, 529})
_GOOGLE_STATUSES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def fault_answer(
    provider: str, status: int, retry_after_s: float | None
) -> tuple[int, Headers, bytes]:
    headers, body = _ANSWERS[provider](status)
    if retry_after_s is not None:
        headers = [(name, value) for name, value in headers if not name.startswith("retry-after")]
        # retry-after is whole seconds by the HTTP spec; OpenAI and Azure add milliseconds.
        headers.append(("retry-after", str(math.ceil(retry_after_s))))
        if provider in ("openai", "azure"):
            headers.append(("retry-after-ms", str(round(retry_after_s * 1000))))
    return status, headers, body


def _openai(status: int) -> tuple[Headers, bytes]:
    known = OPENAI_ERRORS.get(529 if status in _OVERLOADED else status)
    if known is not None:
        return [*_JSON, *known[1]], known[2]
    error_type = "server_error" if status >= 500 else "invalid_request_error"
    return list(_JSON), error_body(SERVER_ERROR, error_type=error_type)


def _azure(status: int) -> tuple[Headers, bytes]:
    if status in (401, 429):
        _, headers, body = azure_error_answer(status, Ask(text=""))
        return [*_JSON, *headers], body
    return _openai(status)


def _anthropic(status: int) -> tuple[Headers, bytes]:
    if status in _OVERLOADED:
        error_type, message = ANTHROPIC_ERRORS[529]
    else:
        fallback = ANTHROPIC_ERRORS[500] if status >= 500 else ANTHROPIC_ERRORS[400]
        error_type, message = ANTHROPIC_ERRORS.get(status, fallback)
    body = {"type": "error", "error": {"type": error_type, "message": message}}
    return list(_JSON), orjson.dumps(body)


def _gemini(status: int) -> tuple[Headers, bytes]:
    name = _GOOGLE_STATUSES.get(status, "INTERNAL" if status >= 500 else "FAILED_PRECONDITION")
    message = "The model is overloaded. Please try again later." if status == 503 else name
    body = google_error_body(status, name, message)
    return [("content-type", "application/json; charset=UTF-8")], body


_ANSWERS = {"openai": _openai, "azure": _azure, "anthropic": _anthropic, "gemini": _gemini}
