"""The Gemini adapter through the real gateway (Granian) against the real mock upstream."""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import openai
import pytest

from tests.providers.openai import chat_checks
from tests.providers.openai.stack import Stack, running_stack

MODEL = "gemini"
EMBEDDER = "gemini-embedder"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    def deployments(mock_url: str) -> dict:
        gemini = {"provider": "gemini", "model": "gemini-test", "base_url": f"{mock_url}/v1beta"}
        return {MODEL: gemini, EMBEDDER: {**gemini, "model": "text-embedding-004"}}

    with running_stack(deployments, tmp_path_factory.mktemp("gemini-e2e")) as running:
        yield running


@pytest.mark.parametrize(
    "check",
    [
        chat_checks.plain_chat,
        chat_checks.stream_with_usage,
        chat_checks.tool_call_round_trip,
        chat_checks.image_input,
        chat_checks.json_output,
        chat_checks.stop_and_max_tokens,
        chat_checks.safety_stop,
    ],
    ids=lambda check: check.__name__,
)
def test_chat_behaves_like_openai(stack, check):
    check(stack.client(), MODEL)


@pytest.mark.parametrize(("asked", "status", "exception"), chat_checks.SDK_ERRORS)
def test_upstream_error_reaches_the_sdk_as_its_typed_exception(stack, asked, status, exception):
    chat_checks.upstream_error(stack.client(), MODEL, asked, status, exception)


def test_invalid_key_answer_becomes_invalid_api_key(stack):
    messages = [{"role": "user", "content": "[error:401]"}]

    with pytest.raises(openai.AuthenticationError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert caught.value.body["code"] == "invalid_api_key"
    assert caught.value.body["message"] == "API key not valid. Please pass a valid API key."


def test_quota_error_carries_googles_retry_delay(stack):
    messages = [{"role": "user", "content": "[error:429]"}]

    with pytest.raises(openai.RateLimitError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert caught.value.response.headers["retry-after"] == "7"


def test_mid_stream_failure_makes_the_sdk_raise_after_the_first_tokens(stack):
    messages = [{"role": "user", "content": "[midstream-error] go"}]
    received = []

    with pytest.raises(openai.APIError, match="overloaded"):
        for chunk in stack.client().chat.completions.create(
            model=MODEL, messages=messages, stream=True
        ):
            received.append(chunk.choices[0].delta.content or "")

    assert "".join(received) == "Hello! It's"


def test_streamed_tool_call_arrives_whole_and_round_trips(stack):
    client = stack.client()
    chunks = list(
        client.chat.completions.create(
            model=MODEL, messages=chat_checks.HI, tools=[chat_checks.WEATHER_TOOL], stream=True
        )
    )
    (call,) = [c.choices[0].delta.tool_calls[0] for c in chunks if c.choices[0].delta.tool_calls]
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices[0].finish_reason]
    assert finishes == ["tool_calls"]
    assert json.loads(call.function.arguments) == {"location": "Paris", "unit": "celsius"}

    assistant = {"role": "assistant", "tool_calls": [call.model_dump(exclude={"index"})]}
    result = {"role": "tool", "tool_call_id": call.id, "content": "rain"}
    answer = client.chat.completions.create(
        model=MODEL, messages=[*chat_checks.HI, assistant, result], tools=[chat_checks.WEATHER_TOOL]
    )

    assert answer.choices[0].message.content == "The tool said: rain"


def test_tool_call_replayed_without_its_id_is_refused_by_gemini(stack):
    # The id carries Gemini's thought signature; a made-up id loses it, as Gemini 3 rejects.
    call = {"id": "call_made_up", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    messages = [
        *chat_checks.HI,
        {"role": "assistant", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_made_up", "content": "x"},
    ]

    with pytest.raises(openai.BadRequestError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert "thought_signature" in caught.value.body["message"]


def test_image_by_url_reaches_gemini(stack):
    image = {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}
    messages = [{"role": "user", "content": [{"type": "text", "text": "What?"}, image]}]

    completion = stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert completion.choices[0].message.content == "I see 1 image."


def test_json_schema_output_is_valid_json(stack):
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
    completion = stack.client().chat.completions.create(
        model=MODEL,
        messages=chat_checks.HI,
        response_format={"type": "json_schema", "json_schema": {"name": "r", "schema": schema}},
    )

    assert json.loads(completion.choices[0].message.content) == {
        "answer": chat_checks.DEFAULT_ANSWER
    }


def test_system_prompt_and_earlier_turns_reach_gemini(stack):
    messages = [
        {"role": "system", "content": "Be brief"},
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": "first answer"},
        {"role": "user", "content": "[echo] second question"},
    ]

    completion = stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert completion.choices[0].message.content == "system=Be brief; turns=3; last=second question"


def test_answer_names_gemini_and_the_model_version(stack):
    raw = stack.client().chat.completions.with_raw_response.create(
        model=MODEL, messages=chat_checks.HI
    )

    assert raw.parse().model == "gemini-test"
    assert raw.headers["x-ferrogate-provider"] == "gemini"


def test_embeddings_come_back_in_either_encoding_with_the_asked_dimensions(stack):
    client = stack.client()

    packed = client.embeddings.create(model=EMBEDDER, input="hello world")  # SDK asks base64
    floats = client.embeddings.create(
        model=EMBEDDER, input=["hello world", "other"], dimensions=16, encoding_format="float"
    )
    full = client.embeddings.create(model=EMBEDDER, input=["hello world"], encoding_format="float")

    assert len(packed.data[0].embedding) == 768
    assert np.allclose(packed.data[0].embedding, full.data[0].embedding, atol=1e-7)
    assert np.isclose(np.linalg.norm(packed.data[0].embedding), 1.0, atol=1e-5)
    assert [(d.index, len(d.embedding)) for d in floats.data] == [(0, 16), (1, 16)]
    assert floats.data[0].embedding != floats.data[1].embedding
    assert (packed.usage.prompt_tokens, floats.usage.prompt_tokens) == (2, 3)
    assert packed.model == "text-embedding-004"


def test_embedding_token_arrays_are_refused(stack):
    with pytest.raises(openai.BadRequestError) as caught:
        stack.client().embeddings.create(model=EMBEDDER, input=[[1, 2, 3]])

    assert caught.value.body["param"] == "input"
