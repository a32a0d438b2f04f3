"""Anthropic error answers -> OpenAI error shape and status."""

from __future__ import annotations

import json

import pytest

from ferrogate.providers.anthropic.errors import stream_error_event, upstream_error

REFUSED_CREDENTIALS = "anthropic refused the gateway's credentials for this deployment."


def _anthropic_body(error_type: str, message: str = "details") -> bytes:
    error = {"type": error_type, "message": message}
    return json.dumps({"type": "error", "error": error, "request_id": "req_1"}).encode()


@pytest.mark.parametrize(
    ("status", "error_type", "expected"),
    [
        (400, "invalid_request_error", (400, "invalid_request_error", None)),
        (401, "authentication_error", (401, "authentication_error", "invalid_api_key")),
        (402, "billing_error", (429, "insufficient_quota", "insufficient_quota")),
        (403, "permission_error", (403, "permission_error", None)),
        (404, "not_found_error", (404, "invalid_request_error", "not_found")),
        (413, "request_too_large", (413, "invalid_request_error", "request_too_large")),
        (429, "rate_limit_error", (429, "rate_limit_error", "rate_limit_exceeded")),
        (500, "api_error", (500, "server_error", "api_error")),
        (504, "timeout_error", (504, "server_error", "upstream_timeout")),
        (529, "overloaded_error", (503, "server_error", "overloaded")),
    ],
)
def test_anthropic_error_gets_the_status_type_and_code_an_openai_client_expects(
    status, error_type, expected
):
    error = upstream_error(status, _anthropic_body(error_type), "anthropic")

    assert (error.status, error.type, error.code) == expected
    body = json.loads(error.body())["error"]
    message = REFUSED_CREDENTIALS if status == 401 else "details"
    assert body == {"message": message, "type": expected[1], "param": None, "code": expected[2]}
    assert error.provider == "anthropic"


@pytest.mark.parametrize(("status", "changed"), [(529, True), (402, True), (429, False)])
def test_a_changed_status_is_kept_in_a_header(status, changed):
    error_type = {529: "overloaded_error", 402: "billing_error", 429: "rate_limit_error"}[status]

    error = upstream_error(status, _anthropic_body(error_type), "anthropic")

    expected = [("x-ferrogate-upstream-status", str(status))] if changed else []
    assert error.headers == expected


def test_overloaded_and_rate_limited_may_be_retried_elsewhere_but_bad_requests_not():
    assert upstream_error(529, _anthropic_body("overloaded_error"), "anthropic").retryable
    assert upstream_error(429, _anthropic_body("rate_limit_error"), "anthropic").retryable
    assert not upstream_error(400, _anthropic_body("invalid_request_error"), "anthropic").retryable


def test_body_without_anthropics_error_object_is_mapped_by_status():
    error = upstream_error(529, b"<html>busy</html>", "anthropic")

    assert (error.status, error.code, error.message) == (503, "overloaded", "<html>busy</html>")


def test_unknown_error_type_falls_back_to_the_status():
    error = upstream_error(429, _anthropic_body("brand_new_error"), "anthropic")

    assert (error.status, error.code) == (429, "rate_limit_exceeded")


def test_unknown_status_without_body_passes_through_with_a_message():
    error = upstream_error(418, b"", "anthropic")

    assert (error.status, error.type, error.message) == (
        418,
        "upstream_error",
        "anthropic answered HTTP 418",
    )


def test_mid_stream_error_event_names_the_upstream_failure():
    event = stream_error_event(
        {"type": "error", "error": {"type": "api_error", "message": "boom"}}, "anthropic"
    )

    assert event.startswith(b"data: ") and event.endswith(b"\n\n")
    assert json.loads(event[6:]) == {
        "error": {
            "message": "anthropic failed mid-stream with api_error: boom",
            "type": "server_error",
            "param": None,
            "code": "api_error",
        }
    }
