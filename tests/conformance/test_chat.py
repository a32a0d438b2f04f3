"""Plain chat through every provider: the same prompt gives the same answer and usage."""

from __future__ import annotations

import json

from .scenarios import DEFAULT_ANSWER, HI, JSON_SCHEMA_FORMAT


def _stream(target, **kwargs) -> list:
    return list(
        target.client().chat.completions.create(
            model=target.model, stream=True, stream_options={"include_usage": True}, **kwargs
        )
    )


def _text(chunks: list) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def _finishes(chunks: list) -> list[str]:
    return [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]


def test_plain_chat_answers_the_same_through_every_provider(target):
    completion = target.client().chat.completions.create(model=target.model, messages=HI)

    assert completion.choices[0].message.content == DEFAULT_ANSWER
    assert completion.choices[0].finish_reason == "stop"
    assert completion.object == "chat.completion"
    assert completion.usage.completion_tokens == 8
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + 8


def test_answer_names_the_upstream_model_and_the_provider(target):
    raw = target.client().chat.completions.with_raw_response.create(model=target.model, messages=HI)

    assert raw.parse().model == target.provider.upstream_model
    assert raw.headers["x-ferrogate-provider"] == target.provider.name
    assert raw.headers["x-ferrogate-model"] == target.provider.upstream_model


def test_system_prompt_and_earlier_turns_reach_the_provider(target):
    messages = [
        {"role": "system", "content": "Be brief"},
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": "first answer"},
        {"role": "user", "content": "[echo] second question"},
    ]

    completion = target.client().chat.completions.create(model=target.model, messages=messages)

    assert completion.choices[0].message.content == (
        "system=Be brief; turns=3; last=second question"
    )


def test_streamed_and_whole_answers_carry_the_same_content_and_usage(target):
    whole = target.client().chat.completions.create(model=target.model, messages=HI)

    chunks = _stream(target, messages=HI)

    assert _text(chunks) == whole.choices[0].message.content == DEFAULT_ANSWER
    assert _finishes(chunks) == ["stop"]
    assert chunks[-1].choices == []  # usage comes last, in a chunk of its own
    usage = chunks[-1].usage
    assert usage.prompt_tokens == whole.usage.prompt_tokens
    assert usage.completion_tokens == whole.usage.completion_tokens
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_stop_sequence_cuts_the_answer(target):
    completion = target.client().chat.completions.create(
        model=target.model, messages=HI, stop=[" nice"]
    )

    assert completion.choices[0].message.content == "Hello! It's"
    assert completion.choices[0].finish_reason == "stop"


def test_max_tokens_reached_finishes_with_length(target):
    completion = target.client().chat.completions.create(
        model=target.model, messages=HI, max_tokens=3
    )
    chunks = _stream(target, messages=HI, max_tokens=3)

    assert (completion.choices[0].message.content, completion.choices[0].finish_reason) == (
        "Hello! It's",
        "length",
    )
    assert completion.usage.completion_tokens == 3
    assert (_text(chunks), _finishes(chunks)) == ("Hello! It's", ["length"])
    assert chunks[-1].usage.completion_tokens == 3


def test_json_output_is_valid_json(target):
    completion = target.client().chat.completions.create(
        model=target.model, messages=HI, response_format={"type": "json_object"}
    )

    assert json.loads(completion.choices[0].message.content) == {"answer": DEFAULT_ANSWER}


def test_json_schema_output_is_valid_json(target):
    completion = target.client().chat.completions.create(
        model=target.model, messages=HI, response_format=JSON_SCHEMA_FORMAT
    )

    assert json.loads(completion.choices[0].message.content) == {"answer": DEFAULT_ANSWER}


def test_json_schema_answer_streams_as_content_not_as_a_tool_call(target):
    # Anthropic has no JSON mode: the gateway forces a tool and must turn its input back
    # into content, streamed or not.
    whole = target.client().chat.completions.create(
        model=target.model, messages=HI, response_format=JSON_SCHEMA_FORMAT
    )
    chunks = _stream(target, messages=HI, response_format=JSON_SCHEMA_FORMAT)

    assert json.loads(_text(chunks)) == {"answer": DEFAULT_ANSWER}
    assert _text(chunks) == whole.choices[0].message.content
    assert not any(c.choices[0].delta.tool_calls for c in chunks if c.choices)
    assert _finishes(chunks) == ["stop"]
    assert whole.choices[0].finish_reason == "stop"


def test_safety_block_finishes_with_content_filter(target):
    messages = [{"role": "user", "content": "[safety] something"}]

    completion = target.client().chat.completions.create(model=target.model, messages=messages)

    assert completion.choices[0].finish_reason == "content_filter"
    assert not completion.choices[0].message.content
