"""Relay an OpenAI upstream stream: parse with the Rust SSE parser, re-frame, capture usage.

The client's stream always ends in `data: [DONE]` or an explicit error event.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson

from ferrogate.core import SseParser, frame_event
from ferrogate.errors import GatewayError
from ferrogate.providers.base import StreamUsage
from ferrogate.providers.sse import DONE, error_event
from ferrogate.upstream import UpstreamStream


async def relay(
    upstream: UpstreamStream, usage: StreamUsage, client_wants_usage: bool
) -> AsyncIterator[bytes]:
    parser = SseParser()
    finished = False
    try:
        async for chunk in upstream.chunks():
            # The events of one upstream read leave as one write: each write is a hop to
            # the front end's I/O thread, and an upstream that is ahead of us (or a fast
            # one) delivers many events a read. bench/load.py chat-stream: see issue 8.
            frames: list[bytes] = []
            for event in parser.feed(chunk):
                data = event.data
                if data == b"[DONE]":
                    finished = True
                    frames.append(DONE)
                    yield b"".join(frames)
                    return
                if data.startswith(b'{"error"'):
                    # An upstream error event ends the stream as [DONE] would: passed on
                    # as it is, on its own, with nothing after it.
                    finished = True
                    if frames:
                        yield b"".join(frames)
                    yield frame_event(data)
                    return
                if not _looks_like_an_object(data):
                    # Relayed, a garbage event makes the client's SDK fail on a parse error;
                    # an explicit error event says what happened instead.
                    finished = True
                    if frames:
                        yield b"".join(frames)
                    yield error_event(
                        "the upstream sent a stream event that is not JSON", "upstream_error"
                    )
                    return
                if _is_usage_only(data, usage) and not client_wants_usage:
                    continue  # requested only for accounting; this client did not ask for it
                frames.append(frame_event(data))
            if frames:
                yield frames[0] if len(frames) == 1 else b"".join(frames)
        parser.finish()
    except GatewayError as exc:
        yield error_event(exc.message, exc.code or "upstream_error")
        return
    finally:
        await upstream.close()
    if not finished:
        yield error_event("the upstream stream ended before [DONE]", "stream_truncated")


def _looks_like_an_object(data: bytes) -> bool:
    # A shape check, not a parse: decoding every event would cost more than relaying it.
    # It catches what proxies and faults produce (HTML, cut or binary events).
    if data[:1] == b"{" and data[-1:] == b"}":
        return True
    stripped = data.strip()
    return stripped[:1] == b"{" and stripped[-1:] == b"}"


def _is_usage_only(data: bytes, usage: StreamUsage) -> bool:
    # Cheap byte tests first: most chunks carry no usage, or `"usage":null` when the client
    # asked for usage, and decoding each one costs. Inside a JSON string the quotes would
    # be escaped, so these bytes can only be the key itself.
    if b'"usage"' not in data or b'"usage":null' in data or b'"usage": null' in data:
        return False
    try:
        chunk: Any = orjson.loads(data)
    except orjson.JSONDecodeError:
        return False
    counts = chunk.get("usage") if isinstance(chunk, dict) else None
    if not counts:
        return False
    usage.counts = counts
    return chunk.get("choices") == []
