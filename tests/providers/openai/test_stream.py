"""The relay of an OpenAI upstream stream: how it ends."""

from __future__ import annotations

import asyncio

from ferrogate.providers.base import StreamUsage
from ferrogate.providers.openai.stream import relay

CHUNK = b'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n'
ERROR = b'data: {"error":{"message":"boom","type":"server_error","param":null,"code":null}}\n\n'


class ScriptedStream:
    def __init__(self, *pieces: bytes):
        self._pieces = pieces
        self.closed = False

    async def chunks(self):
        for piece in self._pieces:
            yield piece

    async def close(self) -> None:
        self.closed = True


def _relayed(upstream: ScriptedStream) -> list[bytes]:
    async def collect() -> list[bytes]:
        return [event async for event in relay(upstream, StreamUsage(), False)]

    return asyncio.run(collect())


def test_upstream_error_event_is_passed_on_and_ends_the_stream():
    upstream = ScriptedStream(CHUNK, ERROR, CHUNK)

    events = _relayed(upstream)

    assert events == [CHUNK, ERROR]
    assert upstream.closed


def test_stream_cut_before_done_ends_with_a_truncation_error():
    events = _relayed(ScriptedStream(CHUNK))

    assert events[0] == CHUNK
    assert b'"code":"stream_truncated"' in events[-1]
