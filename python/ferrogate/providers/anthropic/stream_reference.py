"""The plain-Python Anthropic -> OpenAI stream translation that the Rust core replaced.

The gateway does not use this module: stream.py translates in Rust. It is kept, unchanged, as
the oracle that tests/core/test_anthropic_stream.py checks the Rust translator against byte
for byte, and as the Python side of bench/stream_translation.py.

Per event the work is one orjson parse and, for a content delta, one join of bytes built at
message_start around the dumped text: no dict is built or serialised for the chunk itself.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson

from ferrogate.core import SseParser
from ferrogate.errors import GatewayError
from ferrogate.providers.base import StreamUsage
from ferrogate.providers.sse import DONE, error_event
from ferrogate.upstream import UpstreamStream

from .errors import stream_error_event
from .response import finish_reason, openai_usage
from .tools import JSON_TOOL

_FINISH = b',"logprobs":null,"finish_reason":'
_TEXT = -1  # a content block whose deltas become message content (text, or the JSON answer)
_SKIPPED = frozenset({"ping"})


class StreamTranslator:
    """Turns one Anthropic stream into OpenAI chunks, one event at a time."""

    def __init__(self, model: str, wants_usage: bool, usage: StreamUsage):
        self.finished = False
        self._usage = usage
        self._counts: dict[str, Any] = {}
        self._wants_usage = wants_usage
        self._blocks: dict[int, int] = {}  # block index -> tool call index, or _TEXT
        self._tool_calls = 0
        self._no_arguments_yet: set[int] = set()
        self._finish_sent = False
        self._frame("chatcmpl-pending", model)  # replaced by message_start's id and model

    def feed(self, name: str | None, data: bytes) -> bytes | None:
        if name in _SKIPPED:
            return None
        payload = orjson.loads(data)
        if not isinstance(payload, dict):
            raise ValueError("an Anthropic event's data must be a JSON object")
        handler = _HANDLERS.get(name or payload.get("type"))
        return handler(self, payload) if handler is not None else None  # unknown: skip

    def _message_start(self, event: dict[str, Any]) -> bytes:
        message = event.get("message") or {}
        self._frame(f"chatcmpl-{message.get('id', '')}", message.get("model") or self._model)
        self._count(message.get("usage"))
        return self._chunk({"role": "assistant", "content": ""})

    def _block_start(self, event: dict[str, Any]) -> bytes | None:
        index, block = event.get("index", 0), event.get("content_block") or {}
        kind = block.get("type")
        if kind == "text" or (kind == "tool_use" and block.get("name") == JSON_TOOL):
            self._blocks[index] = _TEXT
            return self._content(block["text"]) if block.get("text") else None
        if kind != "tool_use":
            return None  # thinking and server tool blocks have no OpenAI counterpart
        position = self._blocks[index] = self._tool_calls
        self._tool_calls += 1
        self._no_arguments_yet.add(index)
        function = {"name": block.get("name"), "arguments": ""}
        call = {"index": position, "id": block.get("id"), "type": "function", "function": function}
        return self._chunk({"tool_calls": [call]})

    def _block_delta(self, event: dict[str, Any]) -> bytes | None:
        index, delta = event.get("index", 0), event.get("delta") or {}
        target = self._blocks.get(index)
        piece = delta.get(_PIECES.get(delta.get("type"), ""))
        if target is None or not piece:
            return None
        if target == _TEXT:
            return self._content(piece)
        self._no_arguments_yet.discard(index)
        return self._arguments(target, piece)

    def _block_stop(self, event: dict[str, Any]) -> bytes | None:
        index = event.get("index", 0)
        if index not in self._no_arguments_yet:
            return None
        # A tool without parameters streams no JSON; OpenAI clients expect "{}" to parse.
        self._no_arguments_yet.discard(index)
        return self._arguments(self._blocks[index], "{}")

    def _message_delta(self, event: dict[str, Any]) -> bytes | None:
        self._count(event.get("usage"))
        stop_reason = (event.get("delta") or {}).get("stop_reason")
        return self._finish(stop_reason) if stop_reason and not self._finish_sent else None

    def _message_stop(self, event: dict[str, Any]) -> bytes:
        self.finished = True
        tail = self._finish(None) if not self._finish_sent else b""
        if self._wants_usage:
            usage = {"choices": [], "usage": openai_usage(self._counts)}
            tail += b"data: " + self._envelope + orjson.dumps(usage)[1:] + b"\n\n"
        return tail + DONE

    def _error(self, event: dict[str, Any]) -> bytes:
        self.finished = True
        return stream_error_event(event, "anthropic")

    def _finish(self, stop_reason: str | None) -> bytes:
        self._finish_sent = True
        reason = finish_reason(stop_reason, self._tool_calls > 0)
        return self._chunk({}, orjson.dumps(reason))

    def _count(self, usage: dict[str, Any] | None) -> None:
        # Anthropic's counts are cumulative: a later event replaces an earlier one.
        self._counts.update(usage or {})
        self._usage.counts = openai_usage(self._counts)

    def _frame(self, chunk_id: str, model: str) -> None:
        # orjson never writes a line break, so each event is framed by a plain join.
        self._model = model
        envelope = {"id": chunk_id, "object": "chat.completion.chunk", "created": int(time.time())}
        self._envelope = orjson.dumps({**envelope, "model": model})[:-1] + b","
        self._head = b"data: " + self._envelope + b'"choices":[{"index":0,"delta":'
        self._close = b"}]" + (b',"usage":null' if self._wants_usage else b"") + b"}\n\n"
        self._content_head = self._head + b'{"content":'
        self._content_tail = b'},"logprobs":null,"finish_reason":null' + self._close

    def _chunk(self, delta: dict[str, Any], finish: bytes = b"null") -> bytes:
        return self._head + orjson.dumps(delta) + _FINISH + finish + self._close

    def _content(self, text: str) -> bytes:
        return self._content_head + orjson.dumps(text) + self._content_tail

    def _arguments(self, position: int, piece: str) -> bytes:
        return self._chunk({"tool_calls": [{"index": position, "function": {"arguments": piece}}]})


_PIECES = {"text_delta": "text", "input_json_delta": "partial_json"}  # delta type -> its piece
_HANDLERS: dict[str, Callable[[StreamTranslator, dict[str, Any]], bytes | None]] = {
    "message_start": StreamTranslator._message_start,
    "content_block_start": StreamTranslator._block_start,
    "content_block_delta": StreamTranslator._block_delta,
    "content_block_stop": StreamTranslator._block_stop,
    "message_delta": StreamTranslator._message_delta,
    "message_stop": StreamTranslator._message_stop,
    "error": StreamTranslator._error,
}


def translate_read(parser: SseParser, translator: StreamTranslator, chunk: bytes) -> bytes:
    """The OpenAI bytes for one upstream read: the events it completes leave together."""
    out = []
    for event in parser.feed(chunk):
        translated = translator.feed(event.event, event.data)
        if translated:
            out.append(translated)
        if translator.finished:
            break
    return b"".join(out)


async def relay(upstream: UpstreamStream, translator: StreamTranslator) -> AsyncIterator[bytes]:
    parser = SseParser()
    try:
        async for chunk in upstream.chunks():
            out = translate_read(parser, translator, chunk)
            if out:
                yield out
            if translator.finished:
                return
    except GatewayError as exc:
        yield error_event(exc.message, exc.code or "upstream_error")
        return
    except ValueError:  # an event that is not SSE, or data that is not JSON
        yield error_event("anthropic sent a stream event that could not be read", "bad_upstream")
        return
    finally:
        await upstream.close()
    yield error_event("the upstream stream ended before message_stop", "stream_truncated")
