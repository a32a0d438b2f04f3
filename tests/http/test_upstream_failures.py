"""What a client sees when the upstream refuses, stalls, fails or cuts a stream."""

from __future__ import annotations

import json

import openai
import pytest

from .raw import post_json

HI = [{"role": "user", "content": "hi"}]


def _chat(gateway, model, **extra):
    return post_json(
        f"{gateway.url}/v1/chat/completions", {"model": model, "messages": HI, **extra}
    )


def test_refused_connection_is_a_502(gateway):
    reply = _chat(gateway, "refused")

    assert reply.status == 502
    assert reply.error["code"] == "upstream_unreachable"


def test_connection_reset_before_answer_is_a_502(gateway):
    reply = _chat(gateway, "reset")

    assert reply.status == 502


def test_upstream_timeout_is_a_504(gateway):
    reply = _chat(gateway, "slow")

    assert reply.status == 504
    assert reply.error["code"] == "upstream_timeout"


def test_upstream_5xx_is_passed_on_with_its_status_and_message(gateway):
    reply = _chat(gateway, "error500")

    assert reply.status == 500
    assert reply.error["message"] == "The upstream broke."
    assert reply.error["code"] == "boom"


def test_upstream_429_is_passed_on_to_the_sdk_as_rate_limit(gateway):
    with pytest.raises(openai.RateLimitError) as caught:
        gateway.client().chat.completions.create(model="error429", messages=HI)

    assert caught.value.status_code == 429
    assert "Rate limit" in caught.value.message


def test_upstream_non_json_error_is_wrapped_in_openai_shape(gateway):
    reply = _chat(gateway, "plain502")

    assert reply.status == 502
    assert set(reply.error) == {"message", "type", "param", "code"}


def test_upstream_error_before_a_stream_starts_keeps_its_status(gateway):
    reply = _chat(gateway, "error500", stream=True)

    assert reply.status == 500
    assert reply.error["code"] == "boom"


def test_stream_cut_by_upstream_ends_with_an_error_event_not_done(gateway):
    reply = _chat(gateway, "cut", stream=True)

    events = [e.removeprefix("data: ") for e in reply.body.decode().split("\n\n") if e]
    assert reply.status == 200
    assert json.loads(events[0])["choices"][0]["delta"]["content"] == "partial"
    assert "[DONE]" not in events
    assert json.loads(events[-1])["error"]["code"] == "stream_interrupted"


def test_sdk_raises_when_the_stream_is_cut(gateway):
    stream = gateway.client().chat.completions.create(model="cut", messages=HI, stream=True)

    with pytest.raises(openai.APIError):
        for _ in stream:
            pass
