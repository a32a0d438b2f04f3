"""An Anthropic `message` -> an OpenAI `chat.completion` body; finish reasons and usage."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

import orjson

from ferrogate.providers.upstream_json import count, mapping, mappings, string

from .tools import JSON_TOOL

FINISH_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "pause_turn": "stop",  # a server-side tool paused a long turn; the text so far is whole
    "refusal": "content_filter",
}


def to_completion(message: dict[str, Any]) -> bytes:
    text, tool_calls = _content(mappings(message.get("content")))
    answer: dict[str, Any] = {
        "role": "assistant",
        "content": text if text or not tool_calls else None,
        "refusal": None,
    }
    if tool_calls:
        answer["tool_calls"] = tool_calls
    choice = {
        "index": 0,
        "message": answer,
        "logprobs": None,
        "finish_reason": finish_reason(message.get("stop_reason"), bool(tool_calls)),
    }
    completion = {
        "id": f"chatcmpl-{message.get('id', '')}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": message.get("model"),
        "choices": [choice],
        "usage": openai_usage(mapping(message.get("usage"))),
    }
    return orjson.dumps(completion)


def finish_reason(stop_reason: Any, called_tools: bool) -> str:
    reason = FINISH_REASONS.get(string(stop_reason) or "", "stop")
    # A forced JSON_TOOL call is an answer, not a tool call the client has to make.
    return "stop" if reason == "tool_calls" and not called_tools else reason


def openai_usage(usage: dict[str, Any]) -> dict[str, Any]:
    # OpenAI's prompt_tokens include cached tokens; Anthropic counts the three kinds apart.
    cached = count(usage.get("cache_read_input_tokens"))
    prompt = count(usage.get("input_tokens")) + count(usage.get("cache_creation_input_tokens"))
    prompt += cached
    completion = count(usage.get("output_tokens"))
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": cached},
    }


def _content(blocks: Iterable[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    texts: list[str] = []
    tool_calls: list[dict[str, Any]] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "text":
            texts.append(string(block.get("text")) or "")
        elif kind == "tool_use" and block.get("name") == JSON_TOOL:
            # Only the parsed input comes back, so its spacing is ours to choose: json's
            # default separators, as in the JSON text of OpenAI-side answers.
            texts.append(json.dumps(block.get("input"), ensure_ascii=False))
        elif kind == "tool_use":
            arguments = orjson.dumps(block.get("input") or {}).decode()
            function = {"name": block.get("name"), "arguments": arguments}
            tool_calls.append({"id": block.get("id"), "type": "function", "function": function})
        # thinking, redacted_thinking and server tool blocks have no OpenAI counterpart
    return "".join(texts), tool_calls
