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
            for event in parser.feed(chunk):
                if event.data == b"[DONE]" or event.data.startswith(b'{"error"'):
                    # An upstream error event ends the stream as [DONE] would: passed on
                    # as it is, with nothing after it.
                    finished = True
                    yield DONE if event.data == b"[DONE]" else frame_event(event.data)
                    return
                if _is_usage_only(event.data, usage) and not client_wants_usage:
                    continue  # requested only for accounting; this client did not ask for it
                yield frame_event(event.data)
        parser.finish()
    except GatewayError as exc:
        yield error_event(exc.message, exc.code or "upstream_error")
        return
    finally:
        await upstream.close()
    if not finished:
        yield error_event("the upstream stream ended before [DONE]", "stream_truncated")


def _is_usage_only(data: bytes, usage: StreamUsage) -> bool:
    # Cheap byte test first: most chunks carry no usage, and decoding each one costs.
    if b'"usage"' not in data:
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
