"""A streamed answer put back together as one `chat.completion`, to be cached.

Only a stream that completed cleanly (`[DONE]` after a finish reason, no error event) is
assembled; anything else returns None and is not cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from ferrogate.core import SseParser


@dataclass
class _Choice:
    content: list[str] = field(default_factory=list)
    tool_calls: dict[int, dict[str, Any]] = field(default_factory=dict)
    finish_reason: str | None = None


class StreamAssembler:
    """Feed it the bytes sent to the client; ask `completion()` once the stream has ended."""

    def __init__(self) -> None:
        self._parser = SseParser()
        self._head: dict[str, Any] | None = None
        self._choices: dict[int, _Choice] = {}
        self._usage: dict[str, Any] | None = None
        self._done = False
        self._broken = False

    def feed(self, data: bytes) -> None:
        for event in self._parser.feed(data):
            if event.data == b"[DONE]":
                self._done = True
                continue
            try:
                self._take(orjson.loads(event.data))
            except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
                self._broken = True

    def completion(self) -> bytes | None:
        clean = self._done and not self._broken and self._head is not None and self._choices
        if not clean or any(c.finish_reason is None for c in self._choices.values()):
            return None
        choices = [_finished(index, c) for index, c in sorted(self._choices.items())]
        body = {**self._head, "object": "chat.completion", "choices": choices}
        if self._usage is not None:
            body["usage"] = self._usage
        return orjson.dumps(body)

    def _take(self, chunk: dict[str, Any]) -> None:
        if "error" in chunk:
            self._broken = True
            return
        if self._head is None:
            self._head = {key: chunk[key] for key in ("id", "created", "model")}
        if chunk.get("usage"):
            self._usage = chunk["usage"]
        for choice in chunk["choices"]:
            state = self._choices.setdefault(choice["index"], _Choice())
            _merge_delta(state, choice.get("delta") or {})
            state.finish_reason = choice.get("finish_reason") or state.finish_reason


def _merge_delta(state: _Choice, delta: dict[str, Any]) -> None:
    if delta.get("content"):
        state.content.append(delta["content"])
    for piece in delta.get("tool_calls") or []:
        call = state.tool_calls.setdefault(
            piece["index"],
            {"id": None, "type": "function", "function": {"name": "", "arguments": ""}},
        )
        call["id"] = piece.get("id") or call["id"]
        function = piece.get("function") or {}
        call["function"]["name"] += function.get("name") or ""
        call["function"]["arguments"] += function.get("arguments") or ""


def _finished(index: int, state: _Choice) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": "".join(state.content) or None}
    if state.tool_calls:
        message["tool_calls"] = [state.tool_calls[i] for i in sorted(state.tool_calls)]
    return {
        "index": index,
        "message": message,
        "logprobs": None,
        "finish_reason": state.finish_reason,
    }
