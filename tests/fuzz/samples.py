"""Valid inputs of every kind the fuzz tests edit: requests, answers and stream events."""

from __future__ import annotations

from typing import Any

_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather by city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}

CHAT_REQUESTS: list[dict[str, Any]] = [
    {"model": "m", "messages": [{"role": "user", "content": "Hello"}]},
    {
        "model": "m",
        "stream": True,
        "stream_options": {"include_usage": True},
        "temperature": 0.5,
        "top_p": 0.9,
        "max_tokens": 64,
        "stop": ["\n\n"],
        "user": "u1",
        "seed": 7,
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "developer", "content": [{"type": "text", "text": "No lists."}]},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
                    {
                        "type": "image_url",
                        "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"},
                    },
                ],
            },
        ],
    },
    {
        "model": "m",
        "tools": [_TOOL],
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        "parallel_tool_calls": False,
        "messages": [
            {"role": "user", "content": "Weather in Paris?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1__sig__c2ln",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1__sig__c2ln", "content": '{"temp": 21}'},
            {"role": "assistant", "content": "21 degrees."},
        ],
    },
    {
        "model": "m",
        "max_completion_tokens": 100,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": True},
        },
        "tools": [_TOOL],
        "tool_choice": "required",
        "messages": [{"role": "user", "content": "JSON please"}],
    },
    {
        "model": "m",
        "response_format": {"type": "json_object"},
        "n": 1,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "JSON"}]}],
    },
]

EMBEDDING_REQUESTS: list[dict[str, Any]] = [
    {"model": "e", "input": "hello"},
    {"model": "e", "input": ["a", "b"], "encoding_format": "base64", "dimensions": 8},
    {"model": "e", "input": [1, 2, 3], "encoding_format": "float"},
    {"model": "e", "input": [[1, 2], [3]]},
]

ANTHROPIC_MESSAGES: list[dict[str, Any]] = [
    {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude",
        "content": [
            {"type": "text", "text": "Checking."},
            {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "P"}},
            {"type": "tool_use", "id": "toolu_2", "name": "json_response", "input": {"a": 1}},
            {"type": "thinking", "thinking": "hm"},
        ],
        "stop_reason": "tool_use",
        "usage": {
            "input_tokens": 10,
            "output_tokens": 5,
            "cache_read_input_tokens": 2,
            "cache_creation_input_tokens": 1,
        },
    },
]


def _anthropic_event(name: str, **data: Any) -> list[Any]:
    # A list, not a tuple, so that edits reach into the payload too.
    return [name, {"type": name, **data}]


ANTHROPIC_STREAM: list[list[Any]] = [
    _anthropic_event(
        "message_start",
        message={
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "content": [],
            "model": "claude",
            "usage": {"input_tokens": 25, "output_tokens": 1},
        },
    ),
    _anthropic_event("content_block_start", index=0, content_block={"type": "text", "text": ""}),
    _anthropic_event("content_block_delta", index=0, delta={"type": "text_delta", "text": "Hi"}),
    _anthropic_event("ping"),
    _anthropic_event("content_block_stop", index=0),
    _anthropic_event(
        "content_block_start",
        index=1,
        content_block={"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}},
    ),
    _anthropic_event(
        "content_block_delta",
        index=1,
        delta={"type": "input_json_delta", "partial_json": '{"city": "P"}'},
    ),
    _anthropic_event("content_block_stop", index=1),
    _anthropic_event(
        "message_delta",
        delta={"stop_reason": "tool_use", "stop_sequence": None},
        usage={"output_tokens": 12},
    ),
    _anthropic_event("message_stop"),
]

ANTHROPIC_ERROR_BODIES: list[dict[str, Any]] = [
    {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
]

GEMINI_RESPONSES: list[dict[str, Any]] = [
    {
        "candidates": [
            {
                "content": {
                    "role": "model",
                    "parts": [
                        {"text": "Thinking", "thought": True},
                        {"text": "Hello"},
                        {
                            "functionCall": {"name": "get_weather", "args": {"city": "P"}},
                            "thoughtSignature": "c2ln",
                        },
                    ],
                },
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": 9,
            "candidatesTokenCount": 3,
            "totalTokenCount": 12,
            "thoughtsTokenCount": 1,
        },
        "modelVersion": "gemini-2.5-flash",
        "responseId": "resp-1",
    },
    {"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 9}},
]

GEMINI_EMBEDDINGS: list[dict[str, Any]] = [
    {"embedding": {"values": [0.1, 0.2, 0.3]}},
    {"embeddings": [{"values": [1.0, 0.0]}, {"values": [0.0, 2.0]}]},
]

GEMINI_ERROR_BODIES: list[Any] = [
    {
        "error": {
            "code": 429,
            "message": "Quota exceeded",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7.25s"},
                {"reason": "API_KEY_INVALID"},
            ],
        }
    },
]
