"""Google error bodies as OpenAI errors with the status an OpenAI SDK user expects."""

from __future__ import annotations

import orjson
import pytest

from ferrogate.providers.gemini.errors import upstream_error


def _google(code: int, status: str, message: str = "boom", details=None) -> bytes:
    error = {"code": code, "message": message, "status": status}
    if details is not None:
        error["details"] = details
    return orjson.dumps({"error": error}, option=orjson.OPT_INDENT_2)


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        (400, "INVALID_ARGUMENT", (400, "invalid_request_error", None)),
        (400, "FAILED_PRECONDITION", (400, "invalid_request_error", "failed_precondition")),
        (401, "UNAUTHENTICATED", (401, "invalid_request_error", "invalid_api_key")),
        (403, "PERMISSION_DENIED", (403, "invalid_request_error", "permission_denied")),
        (404, "NOT_FOUND", (404, "invalid_request_error", "not_found")),
        (429, "RESOURCE_EXHAUSTED", (429, "requests", "rate_limit_exceeded")),
        (500, "INTERNAL", (500, "server_error", "internal_error")),
        (503, "UNAVAILABLE", (503, "server_error", "service_unavailable")),
        (504, "DEADLINE_EXCEEDED", (504, "server_error", "timeout")),
    ],
)
def test_google_status_maps_to_openai_status_type_and_code(code, status, expected):
    error = upstream_error(code, _google(code, status, "upstream says no"))

    assert (error.status, error.type, error.code) == expected
    refused = "gemini refused the gateway's credentials for this deployment."
    assert error.message == (refused if code == 401 else "upstream says no")
    assert error.provider == "gemini"


def test_invalid_api_key_reported_as_400_becomes_401():
    details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}]
    body = _google(400, "INVALID_ARGUMENT", "API key not valid.", details)

    error = upstream_error(400, body)

    assert (error.status, error.code) == (401, "invalid_api_key")
    assert not error.retryable


def test_retry_delay_becomes_a_retry_after_header():
    details = [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "6.2s"}]

    error = upstream_error(429, _google(429, "RESOURCE_EXHAUSTED", details=details))

    assert ("retry-after", "7") in error.headers
    assert error.retryable


def test_error_inside_an_array_is_read():
    body = b"[" + _google(503, "UNAVAILABLE", "overloaded") + b"]"

    error = upstream_error(503, body)

    assert (error.status, error.message) == (503, "overloaded")


def test_unknown_status_keeps_the_http_status():
    error = upstream_error(409, _google(409, "ABORTED"))

    assert (error.status, error.type) == (409, "invalid_request_error")


def test_body_that_is_not_json_is_passed_on_as_text():
    error = upstream_error(502, b"<html>Bad Gateway</html>")

    assert (error.status, error.message) == (502, "<html>Bad Gateway</html>")
    assert error.retryable
