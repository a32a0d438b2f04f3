"""Gemini's `streamGenerateContent?alt=sse` as an OpenAI chunk stream.

Each Gemini event is a whole GenerateContentResponse holding the next piece of text, or
whole function calls; the last one carries finishReason and the final usageMetadata.
Gemini sends no end marker, so a stream that stops before a finishReason was cut: the
client gets an error event. When Google fails mid-stream it writes its error object as
bare JSON after the last event (not SSE, so the parser skips it); that tail is kept to
tell the client why.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import orjson

from ferrogate.core import SseError, SseParser, frame_event
from ferrogate.errors import GatewayError, UpstreamError
from ferrogate.providers.base import StreamUsage
from ferrogate.providers.sse import DONE, error_event
from ferrogate.providers.upstream_json import count, mapping, mappings, string
from ferrogate.upstream import UpstreamStream

from .errors import PROVIDER, google_error, upstream_error
from .response import completion_id, finish_reason, split_parts, usage

_TAIL_LIMIT = 64 * 1024
_EVENT_ENDS = (b"\n\n", b"\r\n\r\n", b"\r\r")


class ChunkWriter:
    """Turns Gemini events into OpenAI chunks; remembers what the end of the stream needs."""

    def __init__(self, model: str, usage_out: StreamUsage):
        self._model = model
        self._usage = usage_out
        self._head: dict[str, Any] | None = None
        self._calls: dict[int, int] = {}  # candidate index -> tool calls sent
        self._open: set[int] = set()  # candidates seen without a finishReason yet
        self.finished = False
        if usage_out.counts is None:
            usage_out.counts = usage({})

    def chunks(self, response: Any) -> list[bytes]:
        if not isinstance(response, dict):
            message = f"{PROVIDER} sent a stream event that is not a JSON object"
            raise UpstreamError(message, status=502, provider=PROVIDER)
        if "error" in response:  # in case Google ever frames its error as an event
            raise upstream_error(500, orjson.dumps(response))
        if self._head is None:
            self._head = self._start(response)
        if response.get("usageMetadata"):
            self._usage.counts = usage(response["usageMetadata"])
        candidates = mappings(response.get("candidates"))
        if not candidates and mapping(response.get("promptFeedback")).get("blockReason"):
            return self._candidate({"index": 0, "finishReason": "SAFETY"})
        return [chunk for candidate in candidates for chunk in self._candidate(candidate)]

    def usage_chunk(self) -> bytes:
        return self._frame({**(self._head or {}), "choices": [], "usage": self._usage.counts})

    def _start(self, response: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": completion_id(response),
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": string(response.get("modelVersion")) or self._model,
        }

    def _candidate(self, candidate: dict[str, Any]) -> list[bytes]:
        index = count(candidate.get("index"))
        out = []
        if index not in self._calls:
            self._calls[index] = 0
            self._open.add(index)
            out.append(self._choice(index, {"role": "assistant", "content": ""}))
        text, calls = split_parts(mapping(candidate.get("content")).get("parts"))
        if text:
            out.append(self._choice(index, {"content": text}))
        for call in calls:
            out.append(self._choice(index, {"tool_calls": [{"index": self._calls[index], **call}]}))
            self._calls[index] += 1
        if candidate.get("finishReason"):
            finish = finish_reason(candidate["finishReason"], self._calls[index] > 0)
            out.append(self._choice(index, {}, finish))
            self._open.discard(index)
            self.finished = not self._open
        return out

    def _choice(self, index: int, delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}
        return self._frame({**(self._head or {}), "choices": [choice]})

    @staticmethod
    def _frame(chunk: dict[str, Any]) -> bytes:
        return frame_event(orjson.dumps(chunk))


class Tail:
    """The bytes after the last complete SSE event: where Google puts a mid-stream error."""

    def __init__(self) -> None:
        self._bytes = b""

    def feed(self, chunk: bytes) -> None:
        data = self._bytes + chunk
        end = max((data.rfind(mark) + len(mark) for mark in _EVENT_ENDS if mark in data), default=0)
        self._bytes = data[end:][-_TAIL_LIMIT:]

    def error_event(self) -> bytes:
        details = google_error(self._bytes.strip())
        if details is None:
            return error_event("gemini ended the stream before a finishReason", "stream_truncated")
        code = details.get("code")
        error = upstream_error(code if isinstance(code, int) else 500, self._bytes.strip())
        return error_event(error.message, error.code or "upstream_error", error.type)


async def relay(
    upstream: UpstreamStream, writer: ChunkWriter, client_wants_usage: bool
) -> AsyncIterator[bytes]:
    parser, tail = SseParser(), Tail()
    try:
        async for data in upstream.chunks():
            tail.feed(data)
            for event in parser.feed(data):
                for chunk in writer.chunks(orjson.loads(event.data)):
                    yield chunk
        parser.finish()
    except GatewayError as exc:
        yield error_event(exc.message, exc.code or "upstream_error", exc.type)
        return
    except (SseError, orjson.JSONDecodeError) as exc:
        yield error_event(f"gemini sent a stream that cannot be read: {exc}", "bad_upstream_stream")
        return
    finally:
        await upstream.close()
    if not writer.finished:
        yield tail.error_event()
        return
    if client_wants_usage:
        yield writer.usage_chunk()
    yield DONE
