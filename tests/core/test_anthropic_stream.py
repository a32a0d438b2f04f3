"""AnthropicStreamTranslator: byte for byte what the Python translator it replaced wrote.

The oracle is stream_reference.py, the adapter's plain-Python translation before the move to
Rust. Generated streams cover every event type and block kind, each JSON spelling (compact as
Anthropic writes it, spaced, `\\u` escapes), events named by the SSE field or only by their
data, and every way a stream ends; they are then cut at arbitrary points.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ferrogate.core import AnthropicStreamTranslator, SseError, StreamEventError
from ferrogate.errors import UpstreamUnreachable
from ferrogate.providers.anthropic import stream, stream_reference
from ferrogate.providers.anthropic.errors import _BY_TYPE
from ferrogate.providers.anthropic.response import FINISH_REASONS
from ferrogate.providers.anthropic.tools import JSON_TOOL
from ferrogate.providers.base import StreamUsage
from tests.support.replayed_upstream import ReplayedUpstream

NOW = 1_700_000_000.25
START = {
    "type": "message_start",
    "message": {"id": "msg_1", "model": "claude-x", "usage": {"input_tokens": 3}},
}


# ---- generated streams -------------------------------------------------------------------

# Any code point but surrogates (controls, quotes, emoji), and tokens as models write them.
TOKENS = ["Hello", " world", "\n\n", ' "q"', "a/b", "\\", "\t", " café", " 東京", " 😀", "\x7f"]
texts = st.one_of(st.text(max_size=6), st.sampled_from(TOKENS))
counts = st.one_of(st.integers(0, 10**6), st.none())
usages = st.dictionaries(
    st.sampled_from(
        ["input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"]
    ),
    counts,
)


@st.composite
def message_start(draw) -> dict:
    message = {"type": "message", "role": "assistant", "content": []}
    message |= draw(st.fixed_dictionaries({}, optional={"id": texts, "model": texts}))
    if draw(st.booleans()):
        message["usage"] = draw(usages)
    return {"type": "message_start", "message": message}


@st.composite
def block(draw, index: int) -> list[dict]:
    kind = draw(st.sampled_from(["text", "tool", "json_tool", "thinking"]))
    if kind == "text":
        opening = {"type": "text", "text": draw(texts)}
        deltas = [{"type": "text_delta", "text": piece} for piece in draw(st.lists(texts))]
    elif kind == "thinking":
        opening = {"type": "thinking", "thinking": ""}
        deltas = [{"type": "thinking_delta", "thinking": piece} for piece in draw(st.lists(texts))]
    else:
        name = JSON_TOOL if kind == "json_tool" else draw(st.sampled_from(["get_weather", "f"]))
        opening = {"type": "tool_use", "id": f"toolu_{draw(texts)}", "name": name, "input": {}}
        pieces = draw(st.lists(st.sampled_from(["", '{"a":', ' "x\\"y"', "1}", "é"])))
        deltas = [{"type": "input_json_delta", "partial_json": piece} for piece in pieces]
    return [
        {"type": "content_block_start", "index": index, "content_block": opening},
        *({"type": "content_block_delta", "index": index, "delta": d} for d in deltas),
        {"type": "content_block_stop", "index": index},
    ]


@st.composite
def ending(draw) -> list[dict]:
    stop_reason = draw(st.sampled_from([*FINISH_REASONS, "something_new", None]))
    delta = {"type": "message_delta", "delta": {"stop_reason": stop_reason}}
    if draw(st.booleans()):
        delta["usage"] = draw(usages)
    return [delta, {"type": "message_stop"}]


@st.composite
def failure(draw) -> dict:
    error = draw(
        st.fixed_dictionaries(
            {}, optional={"type": st.sampled_from([*_BY_TYPE, "new_error"]), "message": texts}
        )
    )
    return {"type": "error", "error": error}


@st.composite
def anthropic_events(draw) -> list[dict]:
    events = [draw(message_start())] if draw(st.integers(0, 9)) != 7 else []
    for index in range(draw(st.integers(0, 3))):
        events += draw(block(index))
    how = draw(st.sampled_from(["stop", "stop", "error", "cut"]))
    if how == "stop":
        events += draw(ending())
    elif how == "error":
        events.insert(draw(st.integers(0, len(events))), draw(failure()))
    for _ in range(draw(st.integers(0, 2))):  # keep-alives and event types yet to come
        extra = draw(st.sampled_from([{"type": "ping"}, {"type": "future_event", "x": [1]}]))
        events.insert(draw(st.integers(0, len(events))), extra)
    return events


@st.composite
def spelled(draw, event: dict) -> bytes:
    if draw(st.integers(0, 3)) != 2:  # mostly Anthropic's own compact layout
        data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    else:
        data = json.dumps(event, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 5)) == 3:  # a valid escape that Anthropic does not write
        data = data.replace("/", "\\/")
    named = f"event: {event['type']}\n" if draw(st.integers(0, 4)) != 2 else ""
    return f"{named}data: {data}\n\n".encode()


@st.composite
def wire_streams(draw) -> bytes:
    wire = b"".join(draw(spelled(event)) for event in draw(anthropic_events()))
    if draw(st.integers(0, 9)) == 7:  # an event that is not JSON, somewhere
        # Event boundaries, and the very start: a stream may have no events at all.
        ends = [0, *(i + 2 for i in range(len(wire)) if wire[i : i + 2] == b"\n\n")]
        at = draw(st.sampled_from(ends))
        wire = wire[:at] + b"event: content_block_delta\ndata: {broken\n\n" + wire[at:]
    return wire


# ---- running both translators --------------------------------------------------------------


def relayed(module, pieces: list[bytes], wants_usage: bool, fail=None) -> tuple[bytes, dict]:
    usage, upstream = StreamUsage(), ReplayedUpstream(pieces, fail)

    async def collect() -> bytes:
        translator = module.StreamTranslator("claude-deployment", wants_usage, usage)
        return b"".join([chunk async for chunk in module.relay(upstream, translator)])

    with mock.patch("time.time", return_value=NOW):
        sent = asyncio.run(collect())
    assert upstream.closed
    return sent, usage.counts


def cut(wire: bytes, points: list[int]) -> list[bytes]:
    edges = [0, *sorted(min(p, len(wire)) for p in points), len(wire)]
    return [wire[a:b] for a, b in itertools.pairwise(edges)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wire_streams(), st.lists(st.integers(0, 4000), max_size=12), st.booleans())
def test_rust_and_python_translators_write_the_same_bytes(wire, points, wants_usage):
    pieces = cut(wire, points)

    assert relayed(stream, pieces, wants_usage) == relayed(stream_reference, pieces, wants_usage)


@pytest.mark.parametrize("split", [1, 7, 64, None], ids=lambda s: f"split-{s}")
def test_upstream_that_breaks_after_events_ends_alike(split):
    wire = b"".join(f"data: {json.dumps(event)}\n\n".encode() for event in [START, START])
    pieces = [wire[i : i + split] for i in range(0, len(wire), split)] if split else [wire]
    broken = UpstreamUnreachable("reset", code="stream_interrupted")

    rust = relayed(stream, pieces, True, fail=broken)

    assert rust == relayed(stream_reference, pieces, True, fail=broken)
    assert b'"code":"stream_interrupted"' in rust[0]


# ---- the native class itself -------------------------------------------------------------


def translator(**options) -> AnthropicStreamTranslator:
    return AnthropicStreamTranslator("claude-deployment", include_usage=False, created=7, **options)


def event(data: dict) -> bytes:
    return f"event: {data['type']}\ndata: {json.dumps(data)}\n\n".encode()


def test_feed_reports_when_usage_or_the_end_changed():
    native = translator()

    out, changed = native.feed(event(START))
    assert out.startswith(b'data: {"id":"chatcmpl-msg_1","object":"chat.completion.chunk",')
    assert changed and native.usage == (3, 0, 0) and not native.finished
    assert native.feed(b"event: ping\ndata: {}\n\n") == (b"", False)

    out, changed = native.feed(event({"type": "message_stop"}))
    assert out.endswith(b"data: [DONE]\n\n")
    assert changed and native.finished and native.error is None


def test_usage_is_none_until_message_start():
    assert translator().usage is None


def test_error_event_reports_type_and_message_and_ends_the_stream():
    native = translator()
    failure = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

    out, changed = native.feed(event(START) + event(failure) + event(START))

    assert out.count(b"data: ") == 1  # the role chunk; nothing after the error
    assert changed and native.finished
    assert native.error == ("overloaded_error", "Overloaded")
    assert native.feed(event(START)) == (b"", False)


def test_error_fields_that_are_not_strings_read_as_none():
    native = translator()
    native.feed(event({"type": "error", "error": {"type": 5}}))
    assert native.error == (None, None)


@pytest.mark.parametrize("data", [b"{broken", b"[1, 2]", b'"text"', b"\xff"])
def test_event_data_that_is_not_a_json_object_raises(data):
    with pytest.raises(StreamEventError):
        translator().feed(b"event: content_block_delta\ndata: " + data + b"\n\n")


def test_stream_that_is_not_sse_raises_sse_error():
    with pytest.raises(SseError):
        translator().feed(b"data: " + b"x" * (16 << 20) + b"\n\n")  # over the line limit


def test_json_tool_streams_as_content_only_when_named():
    opening = {
        "type": "content_block_start",
        "index": 0,
        "content_block": {"type": "tool_use", "id": "t", "name": "answer", "input": {}},
    }

    as_tool, _ = translator().feed(event(START) + event(opening))
    as_content, _ = translator(json_tool="answer").feed(event(START) + event(opening))

    assert b'"tool_calls"' in as_tool
    assert b'"tool_calls"' not in as_content
