"""Plain chat through every provider: the same prompt gives the same answer and usage."""

from __future__ import annotations

import json

from .scenarios import DEFAULT_ANSWER, HI


def _stream(target, **kwargs):
    chunks = list(
        target.client().chat.completions.create(
            model=target.model, stream=True, stream_options={"include_usage": True}, **kwargs
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finish = [
        c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason
    ]
    return text, finish, chunks[-1].usage


def test_plain_chat_answers_the_same_through_every_provider(target):
    completion = target.client().chat.completions.create(model=target.model, messages=HI)

    assert completion.choices[0].message.content == DEFAULT_ANSWER
    assert completion.choices[0].finish_reason == "stop"
    assert completion.object == "chat.completion"


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

    text, finish, usage = _stream(target, messages=HI)

    assert text == whole.choices[0].message.content
    assert finish == ["stop"]
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
    text, finish, usage = _stream(target, messages=HI, max_tokens=3)

    assert completion.choices[0].finish_reason == "length"
    assert completion.usage.completion_tokens == 3
    assert (text, finish) == (completion.choices[0].message.content, ["length"])
    assert usage.completion_tokens == 3


def test_json_output_is_valid_json(target):
    completion = target.client().chat.completions.create(
        model=target.model, messages=HI, response_format={"type": "json_object"}
    )

    assert json.loads(completion.choices[0].message.content) == {"answer": DEFAULT_ANSWER}


def test_json_schema_output_is_valid_json(target):
    schema = {
        "name": "reply",
        "schema": {
            "type": "object",
            "properties": {"answer": {"type": "string"}},
            "required": ["answer"],
        },
    }

    completion = target.client().chat.completions.create(
        model=target.model,
        messages=HI,
        response_format={"type": "json_schema", "json_schema": schema},
    )

    assert json.loads(completion.choices[0].message.content) == {"answer": DEFAULT_ANSWER}


def test_safety_block_finishes_with_content_filter(target):
    messages = [{"role": "user", "content": "[safety] something"}]

    completion = target.client().chat.completions.create(model=target.model, messages=messages)

    assert completion.choices[0].finish_reason == "content_filter"
    assert not completion.choices[0].message.content
