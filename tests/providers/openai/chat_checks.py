"""What any OpenAI-shaped deployment must do through the gateway, one check per behaviour.

Each check takes an OpenAI SDK client pointed at the gateway and a model name, so the
OpenAI and Azure end-to-end tests (and later a cross-provider suite) share them.
"""

from __future__ import annotations

import json

import openai
import pytest

from tests.conformance.scenarios import DEFAULT_ANSWER, HI, PNG_DATA_URL, WEATHER_TOOL

SDK_ERRORS = [
    (400, 400, openai.BadRequestError),
    (401, 401, openai.AuthenticationError),
    (429, 429, openai.RateLimitError),
    (500, 500, openai.InternalServerError),
    (529, 503, openai.InternalServerError),  # "overloaded" has no status of its own at OpenAI
]


def _streamed(client: openai.OpenAI, model: str, **options) -> list:
    stream = client.chat.completions.create(
        model=model, stream=True, stream_options={"include_usage": True}, **options
    )
    return list(stream)


def _text(chunks: list) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def _finish_reasons(chunks: list) -> list[str]:
    return [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]


def plain_chat(client: openai.OpenAI, model: str) -> None:
    completion = client.chat.completions.create(model=model, messages=HI)

    assert completion.choices[0].message.content == DEFAULT_ANSWER
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + 8


def stream_with_usage(client: openai.OpenAI, model: str) -> None:
    chunks = _streamed(client, model, messages=HI)

    assert _text(chunks) == DEFAULT_ANSWER
    assert _finish_reasons(chunks) == ["stop"]
    assert chunks[-1].choices == []
    assert chunks[-1].usage.completion_tokens == 8


def tool_call_round_trip(client: openai.OpenAI, model: str) -> None:
    first = client.chat.completions.create(model=model, messages=HI, tools=[WEATHER_TOOL])
    call = first.choices[0].message.tool_calls[0]
    assert first.choices[0].finish_reason == "tool_calls"
    assert (call.function.name, json.loads(call.function.arguments)) == (
        "get_weather",
        {"location": "Paris", "unit": "celsius"},
    )

    result = {"role": "tool", "tool_call_id": call.id, "content": "18 degrees"}
    messages = [*HI, first.choices[0].message.model_dump(exclude_none=True), result]
    second = client.chat.completions.create(model=model, messages=messages, tools=[WEATHER_TOOL])

    assert second.choices[0].message.content == "The tool said: 18 degrees"


def streamed_tool_call_arrives_in_pieces(client: openai.OpenAI, model: str) -> None:
    chunks = _streamed(client, model, messages=HI, tools=[WEATHER_TOOL])

    pieces = [
        c.choices[0].delta.tool_calls[0].function.arguments
        for c in chunks
        if c.choices and c.choices[0].delta.tool_calls
    ]
    assert len([p for p in pieces if p]) > 2
    assert json.loads("".join(pieces)) == {"location": "Paris", "unit": "celsius"}
    assert _finish_reasons(chunks) == ["tool_calls"]


def image_input(client: openai.OpenAI, model: str) -> None:
    parts = [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": PNG_DATA_URL}},
    ]
    messages = [{"role": "user", "content": parts}]

    completion = client.chat.completions.create(model=model, messages=messages)

    assert completion.choices[0].message.content == "I see 1 image."


def json_output(client: openai.OpenAI, model: str) -> None:
    completion = client.chat.completions.create(
        model=model, messages=HI, response_format={"type": "json_object"}
    )

    assert json.loads(completion.choices[0].message.content) == {"answer": DEFAULT_ANSWER}


def stop_and_max_tokens(client: openai.OpenAI, model: str) -> None:
    stopped = client.chat.completions.create(model=model, messages=HI, stop=[" nice"])
    cut = _streamed(client, model, messages=HI, max_tokens=3)

    assert (stopped.choices[0].message.content, stopped.choices[0].finish_reason) == (
        "Hello! It's",
        "stop",
    )
    assert (_text(cut), _finish_reasons(cut)) == ("Hello! It's", ["length"])
    assert cut[-1].usage.completion_tokens == 3


def safety_stop(client: openai.OpenAI, model: str) -> None:
    completion = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "[safety] tell me"}]
    )

    assert completion.choices[0].finish_reason == "content_filter"


def upstream_error(client: openai.OpenAI, model: str, asked: int, status: int, exception) -> None:
    messages = [{"role": "user", "content": f"[error:{asked}] please"}]

    for stream in (False, True):
        with pytest.raises(exception) as caught:
            client.chat.completions.create(model=model, messages=messages, stream=stream)
        assert caught.value.status_code == status


def midstream_error(client: openai.OpenAI, model: str) -> None:
    messages = [{"role": "user", "content": "[midstream-error] go"}]
    received = []

    with pytest.raises(openai.APIError, match="error"):
        for chunk in client.chat.completions.create(model=model, messages=messages, stream=True):
            received.append(chunk.choices[0].delta.content or "")

    assert "".join(received) == "Hello! It's"


# Every check above that takes only (client, model), for one parametrized test.
CHAT_CHECKS = [
    plain_chat,
    stream_with_usage,
    tool_call_round_trip,
    streamed_tool_call_arrives_in_pieces,
    image_input,
    json_output,
    stop_and_max_tokens,
    safety_stop,
    midstream_error,
]
