"""Strategies for upstream event streams: events framed as SSE, then cut into reads."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import orjson
from hypothesis import strategies as st


@st.composite
def sse_stream(draw: st.DrawFn, events: list[Any]) -> bytes:
    """`events` (payloads, or (name, payload) pairs) framed as SSE, sometimes in a broken way."""
    out = []
    for event in events if isinstance(events, list) else [events]:
        name, payload = event if _is_named(event) else (None, event)
        data = orjson.dumps(payload)
        if draw(st.integers(0, 9)) == 0:
            data = data[: draw(st.integers(0, len(data)))]  # cut off mid-JSON
        head = f"event: {name}\n".encode() if isinstance(name, str) else b""
        ending = draw(st.sampled_from([b"\n\n", b"\r\n\r\n", b"\r\r"]))
        out.append(head + b"data: " + data + ending)
    return b"".join(out)


def _is_named(event: Any) -> bool:
    return isinstance(event, list | tuple) and len(event) == 2 and isinstance(event[1], dict)


@st.composite
def cut_into_reads(draw: st.DrawFn, stream: bytes) -> list[bytes]:
    cuts = sorted(draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    bounds = [0, *cuts, len(stream)]
    return [stream[a:b] for a, b in pairwise(bounds)]
