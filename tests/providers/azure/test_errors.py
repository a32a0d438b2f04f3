"""Azure's error answers as the OpenAI-shaped errors a client expects."""

from __future__ import annotations

import orjson
import pytest

from ferrogate.providers.azure.errors import azure_error


def _front_door(code: str, message: str) -> bytes:
    return orjson.dumps({"error": {"code": code, "message": message}})


CONTENT_FILTER = orjson.dumps(
    {
        "error": {
            "message": "The response was filtered due to the prompt triggering Azure OpenAI's "
            "content management policy.",
            "type": None,
            "param": "prompt",
            "code": "content_filter",
            "status": 400,
            "innererror": {"code": "ResponsibleAIPolicyViolation"},
        }
    }
)


@pytest.mark.parametrize(
    ("status", "code", "expected_type", "expected_code"),
    [
        (401, "401", "invalid_request_error", "invalid_api_key"),
        (401, "Unauthorized", "invalid_request_error", "invalid_api_key"),
        (404, "404", "invalid_request_error", "not_found"),
        (429, "429", "requests", "rate_limit_exceeded"),
        (400, "BadRequest", "invalid_request_error", None),
        (404, "DeploymentNotFound", "invalid_request_error", "DeploymentNotFound"),
    ],
)
def test_front_door_errors_get_the_type_and_code_openai_would_send(
    status, code, expected_type, expected_code
):
    error = azure_error(status, _front_door(code, "Azure says no"), "azure")

    assert (error.status, error.type, error.code) == (status, expected_type, expected_code)
    # A 401's own words may quote the gateway's key: the client gets the gateway's instead.
    refused = "azure refused the gateway's credentials for this deployment."
    assert error.message == (refused if status == 401 else "Azure says no")


def test_content_filter_refusal_is_an_invalid_request_keeping_its_code_and_param():
    error = azure_error(400, CONTENT_FILTER, "azure")

    assert (error.status, error.type, error.code, error.param) == (
        400,
        "invalid_request_error",
        "content_filter",
        "prompt",
    )
    assert not error.retryable
    assert error.message.startswith("The response was filtered")


def test_openai_shaped_errors_pass_unchanged():
    body = {"message": "bad", "type": "invalid_request_error", "param": "n", "code": "x_code"}

    error = azure_error(400, orjson.dumps({"error": body}), "azure")

    assert (error.type, error.code, error.param, error.message) == (
        "invalid_request_error",
        "x_code",
        "n",
        "bad",
    )


def test_a_body_that_is_not_json_still_becomes_a_server_error_with_its_status():
    error = azure_error(502, b"<html>Bad Gateway</html>", "azure")

    assert (error.status, error.type, error.provider) == (502, "server_error", "azure")
    assert error.retryable
