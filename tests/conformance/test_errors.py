"""Upstream failures reach the OpenAI SDK as its usual typed exceptions, whoever failed."""

from __future__ import annotations

import openai
import pytest

EXPECTED = [
    (400, openai.BadRequestError),
    (401, openai.AuthenticationError),
    (429, openai.RateLimitError),
    (500, openai.InternalServerError),
    (529, openai.InternalServerError),  # overloaded: a 5xx the SDK retries
]


@pytest.mark.parametrize(("status", "exception"), EXPECTED)
def test_upstream_error_becomes_the_sdk_exception(target, status, exception):
    messages = [{"role": "user", "content": f"[error:{status}] please"}]

    with pytest.raises(exception) as caught:
        target.client().chat.completions.create(model=target.model, messages=messages)

    assert caught.value.status_code == (status if status != 529 else 503)
    assert caught.value.message


@pytest.mark.parametrize(
    ("status", "code"), [(401, "invalid_api_key"), (429, "rate_limit_exceeded")]
)
def test_bad_key_and_rate_limit_carry_openais_error_codes(target, status, code):
    messages = [{"role": "user", "content": f"[error:{status}] please"}]

    with pytest.raises(openai.APIStatusError) as caught:
        target.client().chat.completions.create(model=target.model, messages=messages)

    assert caught.value.body["code"] == code


@pytest.mark.parametrize(("status", "exception"), EXPECTED)
def test_upstream_error_before_a_stream_keeps_its_status(target, status, exception):
    messages = [{"role": "user", "content": f"[error:{status}] please"}]

    with pytest.raises(exception) as caught:
        target.client().chat.completions.create(model=target.model, messages=messages, stream=True)

    assert caught.value.status_code == (status if status != 529 else 503)


def test_mid_stream_error_raises_instead_of_ending_quietly(target):
    messages = [{"role": "user", "content": "[midstream-error] go"}]
    stream = target.client().chat.completions.create(
        model=target.model, messages=messages, stream=True
    )

    received = []
    with pytest.raises(openai.APIError) as caught:
        for chunk in stream:
            received.append(chunk.choices[0].delta.content or "")

    assert "".join(received) == "Hello! It's"  # the first three tokens came before the failure
    assert caught.value.body["type"] == "server_error"
    assert caught.value.message
