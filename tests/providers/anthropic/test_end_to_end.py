"""The Anthropic adapter through the real gateway (Granian) against the real mock upstream."""

from __future__ import annotations

import json

import openai
import pytest

from tests.providers.openai import chat_checks

from .deployment import MODEL, UPSTREAM_MODEL


@pytest.mark.parametrize(
    "check",
    [
        chat_checks.plain_chat,
        chat_checks.stream_with_usage,
        chat_checks.tool_call_round_trip,
        chat_checks.streamed_tool_call_arrives_in_pieces,
        chat_checks.image_input,
        chat_checks.json_output,
        chat_checks.stop_and_max_tokens,
        chat_checks.safety_stop,
        chat_checks.midstream_error,
    ],
    ids=lambda check: check.__name__,
)
def test_chat_behaves_like_openai(stack, check):
    check(stack.client(), MODEL)


@pytest.mark.parametrize(("asked", "status", "exception"), chat_checks.SDK_ERRORS)
def test_upstream_error_reaches_the_sdk_as_its_typed_exception(stack, asked, status, exception):
    chat_checks.upstream_error(stack.client(), MODEL, asked, status, exception)


def test_overloaded_is_a_503_that_still_names_the_529(stack):
    messages = [{"role": "user", "content": "[error:529]"}]

    with pytest.raises(openai.InternalServerError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert caught.value.body["code"] == "overloaded"
    assert caught.value.response.headers["x-ferrogate-upstream-status"] == "529"
    assert caught.value.body["message"] == "Overloaded"


def test_answer_names_the_upstream_model_and_has_openai_ids(stack):
    completion = stack.client().chat.completions.create(model=MODEL, messages=chat_checks.HI)

    assert completion.model == UPSTREAM_MODEL
    assert completion.id.startswith("chatcmpl-msg_")
    assert completion.object == "chat.completion"


def test_system_and_developer_text_becomes_anthropics_system_prompt(stack):
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "developer", "content": "Use metric units."},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "answer"},
        {"role": "user", "content": "[echo] second"},
    ]

    completion = stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert completion.choices[0].message.content == (
        "system=Be brief.\n\nUse metric units.; turns=3; last=second"
    )


def test_consecutive_user_messages_reach_anthropic_as_one_turn(stack):
    messages = [
        {"role": "user", "content": "first"},
        {"role": "user", "content": "[echo] second"},
    ]

    completion = stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert completion.choices[0].message.content == "system=none; turns=1; last=first second"


def test_two_tool_results_go_back_in_one_user_turn(stack):
    client = stack.client()
    calls = [
        {
            "id": f"toolu_{n}",
            "type": "function",
            "function": {"name": "get_weather", "arguments": "{}"},
        }
        for n in (1, 2)
    ]
    messages = [
        *chat_checks.HI,
        {"role": "assistant", "content": None, "tool_calls": calls},
        {"role": "tool", "tool_call_id": "toolu_1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "toolu_2", "content": "windy"},
    ]

    completion = client.chat.completions.create(
        model=MODEL, messages=messages, tools=[chat_checks.WEATHER_TOOL]
    )

    assert completion.choices[0].message.content == "The tool said: windy"


def test_image_by_url_reaches_anthropic_as_a_url_source(stack):
    parts = [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
    ]

    completion = stack.client().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": parts}]
    )

    assert completion.choices[0].message.content == "I see 1 image."


def test_json_schema_answer_streams_as_content_not_as_a_tool_call(stack):
    schema = {
        "name": "reply",
        "schema": {"type": "object", "properties": {"answer": {"type": "string"}}},
    }
    response_format = {"type": "json_schema", "json_schema": schema}
    client = stack.client()

    whole = client.chat.completions.create(
        model=MODEL, messages=chat_checks.HI, response_format=response_format
    )
    chunks = list(
        client.chat.completions.create(
            model=MODEL, messages=chat_checks.HI, response_format=response_format, stream=True
        )
    )

    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert json.loads(text) == {"answer": chat_checks.DEFAULT_ANSWER}
    assert text == whole.choices[0].message.content
    assert not any(c.choices[0].delta.tool_calls for c in chunks)
    assert [c.choices[0].finish_reason for c in chunks][-1] == "stop"
    assert whole.choices[0].finish_reason == "stop"


def test_parameter_anthropic_cannot_honour_is_refused_before_the_call(stack):
    with pytest.raises(openai.BadRequestError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=chat_checks.HI, n=2)

    assert caught.value.body["param"] == "n"
