"""Gemini GenerateContentResponses as OpenAI chat completions."""

from __future__ import annotations

import json

import orjson
import pytest

from ferrogate.providers.gemini.response import completion_body
from ferrogate.providers.gemini.tools import signature_in

USAGE = {"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15}


def _completion(response: dict) -> dict:
    return orjson.loads(completion_body(response, "deployment-model"))


def _text_response(text="Hello there", finish="STOP", **extra):
    candidate = {"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": finish}
    return {"candidates": [candidate], "usageMetadata": USAGE, **extra}


def test_text_answer_becomes_the_message_content():
    completion = _completion(_text_response(modelVersion="gemini-2.5-flash", responseId="abc"))

    assert completion["object"] == "chat.completion"
    assert completion["id"] == "chatcmpl-abc"
    assert completion["model"] == "gemini-2.5-flash"
    assert completion["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello there", "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ]


def test_model_defaults_to_the_deployment_model():
    assert _completion(_text_response())["model"] == "deployment-model"


def test_text_in_several_parts_is_joined_and_thoughts_are_left_out():
    parts = [{"text": "thinking...", "thought": True}, {"text": "Hel"}, {"text": "lo"}]
    response = {"candidates": [{"content": {"parts": parts}, "finishReason": "STOP"}]}

    assert _completion(response)["choices"][0]["message"]["content"] == "Hello"


@pytest.mark.parametrize(
    ("gemini", "openai"),
    [
        ("STOP", "stop"),
        ("MAX_TOKENS", "length"),
        ("SAFETY", "content_filter"),
        ("RECITATION", "content_filter"),
        ("BLOCKLIST", "content_filter"),
        ("PROHIBITED_CONTENT", "content_filter"),
        ("SPII", "content_filter"),
        ("OTHER", "stop"),
        ("MALFORMED_FUNCTION_CALL", "stop"),
    ],
)
def test_finish_reasons_map_to_openai(gemini, openai):
    assert _completion(_text_response(finish=gemini))["choices"][0]["finish_reason"] == openai


def test_function_call_becomes_a_tool_call_with_json_arguments():
    part = {
        "functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
        "thoughtSignature": "c2ln",
    }
    response = {"candidates": [{"content": {"parts": [part]}, "finishReason": "STOP"}]}

    choice = _completion(response)["choices"][0]

    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] is None
    (call,) = choice["message"]["tool_calls"]
    assert call["id"].startswith("call_")
    assert signature_in(call["id"]) == "c2ln"
    assert call["type"] == "function"
    assert call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == {"city": "Paris"}


def test_each_call_gets_its_own_id():
    parts = [{"functionCall": {"name": "a", "args": {}}}, {"functionCall": {"name": "b"}}]
    response = {"candidates": [{"content": {"parts": parts}, "finishReason": "STOP"}]}

    calls = _completion(response)["choices"][0]["message"]["tool_calls"]

    assert len({c["id"] for c in calls}) == 2
    assert [c["function"]["arguments"] for c in calls] == ["{}", "{}"]
    assert signature_in(calls[0]["id"]) is None


def test_blocked_prompt_is_a_content_filter_finish_with_empty_content():
    response = {
        "promptFeedback": {"blockReason": "SAFETY", "safetyRatings": []},
        "usageMetadata": {"promptTokenCount": 7, "totalTokenCount": 7},
    }

    completion = _completion(response)

    assert completion["choices"][0]["finish_reason"] == "content_filter"
    assert completion["choices"][0]["message"]["content"] == ""
    assert completion["usage"]["prompt_tokens"] == 7
    assert completion["usage"]["completion_tokens"] == 0


def test_safety_stop_without_content_has_empty_content():
    response = {"candidates": [{"finishReason": "SAFETY", "safetyRatings": [], "index": 0}]}

    choice = _completion(response)["choices"][0]

    assert (choice["message"]["content"], choice["finish_reason"]) == ("", "content_filter")


def test_usage_counts_thinking_as_completion_and_tool_use_as_prompt():
    metadata = {
        "promptTokenCount": 10,
        "toolUsePromptTokenCount": 2,
        "candidatesTokenCount": 5,
        "thoughtsTokenCount": 20,
        "cachedContentTokenCount": 4,
        "totalTokenCount": 37,
    }

    usage = _completion({**_text_response(), "usageMetadata": metadata})["usage"]

    assert usage == {
        "prompt_tokens": 12,
        "completion_tokens": 25,
        "total_tokens": 37,
        "prompt_tokens_details": {"cached_tokens": 4},
        "completion_tokens_details": {"reasoning_tokens": 20},
    }


def test_several_candidates_become_several_choices():
    response = _text_response()
    second = {"content": {"parts": [{"text": "Other"}]}, "finishReason": "STOP", "index": 1}
    response["candidates"].append(second)

    choices = _completion(response)["choices"]

    assert [(c["index"], c["message"]["content"]) for c in choices] == [
        (0, "Hello there"),
        (1, "Other"),
    ]
