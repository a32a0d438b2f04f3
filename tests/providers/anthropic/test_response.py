"""Anthropic messages -> OpenAI chat.completion bodies."""

from __future__ import annotations

import json

import pytest

from ferrogate.providers.anthropic.response import to_completion
from ferrogate.providers.anthropic.tools import JSON_TOOL

USAGE = {"input_tokens": 10, "output_tokens": 5}


def _message(content, stop_reason="end_turn", usage=USAGE) -> dict:
    return {
        "id": "msg_01Abc",
        "type": "message",
        "role": "assistant",
        "model": "claude-x",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": usage,
    }


def _completion(*args, **kwargs) -> dict:
    return json.loads(to_completion(_message(*args, **kwargs)))


def test_text_blocks_become_the_message_content_in_openai_shape():
    content = [{"type": "text", "text": "Hello"}, {"type": "text", "text": " there"}]

    completion = _completion(content)

    assert completion["id"] == "chatcmpl-msg_01Abc"
    assert completion["object"] == "chat.completion"
    assert isinstance(completion["created"], int)
    assert completion["model"] == "claude-x"
    assert completion["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello there", "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ]


def test_usage_counts_cached_prompt_tokens_as_openai_does():
    usage = {
        "input_tokens": 10,
        "cache_creation_input_tokens": 3,
        "cache_read_input_tokens": 7,
        "output_tokens": 5,
    }

    completion = _completion([{"type": "text", "text": "x"}], usage=usage)

    assert completion["usage"] == {
        "prompt_tokens": 20,
        "completion_tokens": 5,
        "total_tokens": 25,
        "prompt_tokens_details": {"cached_tokens": 7},
    }


def test_tool_use_becomes_a_tool_call_with_json_arguments():
    content = [
        {"type": "text", "text": "Let me check."},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
    ]

    choice = _completion(content, stop_reason="tool_use")["choices"][0]

    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] == "Let me check."
    (call,) = choice["message"]["tool_calls"]
    assert call == {
        "id": "toolu_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
    }


def test_only_tool_calls_leave_the_content_null():
    content = [{"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}]

    message = _completion(content, stop_reason="tool_use")["choices"][0]["message"]

    assert message["content"] is None
    assert message["tool_calls"][0]["function"]["arguments"] == "{}"


def test_the_json_tools_input_is_the_answer_text_and_finishes_with_stop():
    content = [{"type": "tool_use", "id": "toolu_1", "name": JSON_TOOL, "input": {"answer": "é"}}]

    choice = _completion(content, stop_reason="tool_use")["choices"][0]

    assert choice["message"]["content"] == '{"answer": "é"}'
    assert "tool_calls" not in choice["message"]
    assert choice["finish_reason"] == "stop"


def test_thinking_blocks_are_left_out():
    content = [
        {"type": "thinking", "thinking": "hmm", "signature": "sig"},
        {"type": "text", "text": "42"},
    ]

    assert _completion(content)["choices"][0]["message"]["content"] == "42"


@pytest.mark.parametrize(
    ("stop_reason", "finish_reason"),
    [
        ("end_turn", "stop"),
        ("stop_sequence", "stop"),
        ("pause_turn", "stop"),
        ("max_tokens", "length"),
        ("model_context_window_exceeded", "length"),
        ("refusal", "content_filter"),
        (None, "stop"),
    ],
)
def test_stop_reason_maps_to_openais_finish_reason(stop_reason, finish_reason):
    completion = _completion([{"type": "text", "text": "x"}], stop_reason=stop_reason)

    assert completion["choices"][0]["finish_reason"] == finish_reason
