"""A cached `chat.completion` replayed to a `stream: true` client as a well-formed SSE stream.

Chunks look like a model's: a role chunk, the text in word-sized deltas, tool calls with
their arguments in pieces, a finish chunk, the usage chunk when asked for, `[DONE]`.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from ferrogate.core import frame_event

DONE = b"data: [DONE]\n\n"
_WORDS = re.compile(r"\s*\S+|\s+")
_ARGUMENT_PIECE = 16  # characters of tool-call arguments per chunk


def replay_as_stream(body: bytes, include_usage: bool) -> list[bytes]:
    completion = orjson.loads(body)
    head = {
        "id": completion["id"],
        "object": "chat.completion.chunk",
        "created": completion["created"],
        "model": completion["model"],
    }
    events: list[bytes] = []
    for choice in completion["choices"]:
        events += _choice_chunks(head, choice)
    if include_usage:
        events.append(_event({**head, "choices": [], "usage": completion.get("usage")}))
    events.append(DONE)
    return events


def _choice_chunks(head: dict[str, Any], choice: dict[str, Any]) -> list[bytes]:
    index, message = choice["index"], choice["message"]
    deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
    deltas += [{"content": word} for word in _WORDS.findall(message.get("content") or "")]
    for position, call in enumerate(message.get("tool_calls") or []):
        deltas += _tool_call_deltas(position, call)
    chunks = [_event(_chunk(head, index, delta, None)) for delta in deltas]
    chunks.append(_event(_chunk(head, index, {}, choice.get("finish_reason"))))
    return chunks


def _tool_call_deltas(position: int, call: dict[str, Any]) -> list[dict[str, Any]]:
    function = call["function"]
    arguments = function.get("arguments") or ""
    first = {
        "index": position,
        "id": call["id"],
        "type": "function",
        "function": {"name": function["name"], "arguments": ""},
    }
    pieces = [
        {"index": position, "function": {"arguments": arguments[i : i + _ARGUMENT_PIECE]}}
        for i in range(0, len(arguments), _ARGUMENT_PIECE)
    ]
    return [{"tool_calls": [piece]} for piece in [first, *pieces]]


def _chunk(head: dict[str, Any], index: int, delta: dict[str, Any], finish: str | None) -> dict:
    choice = {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}
    return {**head, "choices": [choice]}


def _event(chunk: dict[str, Any]) -> bytes:
    return frame_event(orjson.dumps(chunk))
