"""Gateway headers a client or operator reads."""

from __future__ import annotations

import re

from .raw import call, post_json

ASK = {"model": "demo", "messages": [{"role": "user", "content": "hi"}]}


def test_request_id_is_echoed_when_the_client_sends_one(gateway):
    reply = post_json(f"{gateway.url}/v1/chat/completions", ASK, {"x-request-id": "trace-42"})

    assert reply.headers["x-request-id"] == "trace-42"


def test_request_id_is_generated_and_unique_when_absent(gateway):
    first = post_json(f"{gateway.url}/v1/chat/completions", ASK).headers["x-request-id"]
    second = call("GET", f"{gateway.url}/health").headers["x-request-id"]

    assert first and second and first != second


def test_chat_response_names_provider_model_and_overhead(gateway):
    reply = post_json(f"{gateway.url}/v1/chat/completions", {**ASK, "model": "mock-alias"})

    assert reply.headers["x-ferrogate-provider"] == "openai"
    assert reply.headers["x-ferrogate-model"] == "upstream-model-id"
    assert re.fullmatch(r"\d+\.\d{3}", reply.headers["x-ferrogate-overhead-ms"])


def test_streamed_response_carries_the_same_headers(gateway):
    reply = post_json(
        f"{gateway.url}/v1/chat/completions", {**ASK, "stream": True}, {"x-request-id": "s-1"}
    )

    assert reply.headers["x-request-id"] == "s-1"
    assert reply.headers["x-ferrogate-provider"] == "demo"
    assert "x-ferrogate-overhead-ms" in reply.headers


def test_error_responses_carry_request_id_too(gateway):
    reply = call("GET", f"{gateway.url}/nowhere", headers={"x-request-id": "e-1"})

    assert reply.status == 404
    assert reply.headers["x-request-id"] == "e-1"
