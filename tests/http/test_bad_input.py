"""Bad requests get OpenAI's error shape, the right status, and name the param."""

from __future__ import annotations

import pytest

from .conftest import MAX_BODY_BYTES
from .raw import call, post_json

HI = [{"role": "user", "content": "hi"}]


def _chat(gateway, payload):
    return post_json(f"{gateway.url}/v1/chat/completions", payload)


def _assert_openai_error(reply, status: int, error_type: str = "invalid_request_error"):
    assert reply.status == status
    assert reply.headers["content-type"] == "application/json"
    error = reply.error
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == error_type
    assert "Traceback" not in error["message"]
    return error


def test_invalid_json_is_a_400(gateway):
    error = _assert_openai_error(_chat(gateway, b'{"model": "demo", "messages": ['), 400)

    assert "JSON" in error["message"]


def test_a_json_array_body_is_a_400(gateway):
    _assert_openai_error(_chat(gateway, b"[1, 2]"), 400)


@pytest.mark.parametrize(
    ("payload", "param"),
    [
        ({"messages": HI}, "model"),
        ({"model": 7, "messages": HI}, "model"),
        ({"model": "demo"}, "messages"),
        ({"model": "demo", "messages": "hi"}, "messages"),
        ({"model": "demo", "messages": []}, "messages"),
        ({"model": "demo", "messages": [{"role": "wizard", "content": "x"}]}, "messages[0].role"),
        ({"model": "demo", "messages": HI, "stream": "yes"}, "stream"),
        (
            {"model": "demo", "messages": HI, "stream_options": {"include_usage": True}},
            "stream_options",
        ),
    ],
)
def test_missing_or_wrong_typed_fields_name_the_param(gateway, payload, param):
    error = _assert_openai_error(_chat(gateway, payload), 400)

    assert error["param"] == param


def test_unknown_model_is_a_404_model_not_found(gateway):
    error = _assert_openai_error(_chat(gateway, {"model": "gpt-nonexistent", "messages": HI}), 404)

    assert error["code"] == "model_not_found"
    assert "gpt-nonexistent" in error["message"]


def test_model_without_api_key_says_why_it_cannot_serve(gateway):
    error = _assert_openai_error(_chat(gateway, {"model": "nokey", "messages": HI}), 404)

    assert "API key" in error["message"]


def test_body_over_the_limit_is_a_413(gateway):
    padding = "x" * MAX_BODY_BYTES
    error = _assert_openai_error(
        _chat(gateway, {"model": "demo", "messages": [{"role": "user", "content": padding}]}), 413
    )

    assert str(MAX_BODY_BYTES) in error["message"]


def test_body_just_under_the_limit_is_served(gateway):
    padding = "x" * (MAX_BODY_BYTES - 200)
    reply = _chat(gateway, {"model": "demo", "messages": [{"role": "user", "content": padding}]})

    assert reply.status == 200


def test_wrong_method_is_a_405_with_allow(gateway):
    reply = call("GET", f"{gateway.url}/v1/chat/completions")

    _assert_openai_error(reply, 405)
    assert reply.headers["allow"] == "POST"


def test_unknown_path_is_a_404(gateway):
    error = _assert_openai_error(call("POST", f"{gateway.url}/v1/nothing-here", b"{}"), 404)

    assert "/v1/nothing-here" in error["message"]
