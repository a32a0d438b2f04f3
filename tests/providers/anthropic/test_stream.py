"""Anthropic event streams -> OpenAI chat.completion.chunk streams, over recorded sequences."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from ferrogate.errors import UpstreamUnreachable
from ferrogate.providers.anthropic.stream import StreamTranslator, relay
from ferrogate.providers.base import StreamUsage
from tests.support.replayed_upstream import ReplayedUpstream


def _sse(*events: tuple[str, dict]) -> bytes:
    return b"".join(
        f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n".encode()
        for name, data in events
    )


START = (
    "message_start",
    {
        "message": {
            "id": "msg_01Xyz",
            "type": "message",
            "role": "assistant",
            "content": [],
            "model": "claude-x",
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 25, "output_tokens": 1},
        }
    },
)
PING = ("ping", {})
STOP = ("message_stop", {})


def _block(index: int, block: dict, *deltas: dict) -> list[tuple[str, dict]]:
    return [
        ("content_block_start", {"index": index, "content_block": block}),
        *(("content_block_delta", {"index": index, "delta": delta}) for delta in deltas),
        ("content_block_stop", {"index": index}),
    ]


def _text(index: int, *pieces: str) -> list[tuple[str, dict]]:
    deltas = [{"type": "text_delta", "text": piece} for piece in pieces]
    return _block(index, {"type": "text", "text": ""}, *deltas)


def _tool(index: int, name: str, *pieces: str) -> list[tuple[str, dict]]:
    block = {"type": "tool_use", "id": f"toolu_{index}", "name": name, "input": {}}
    deltas = [{"type": "input_json_delta", "partial_json": piece} for piece in pieces]
    return _block(index, block, *deltas)


def _end(stop_reason: str, output_tokens: int) -> tuple[str, dict]:
    delta = {"stop_reason": stop_reason, "stop_sequence": None}
    return ("message_delta", {"delta": delta, "usage": {"output_tokens": output_tokens}})


TEXT_STREAM = _sse(START, *_text(0, "Hello", "!"), PING, _end("end_turn", 15), STOP)
TOOL_STREAM = _sse(
    START,
    *_text(0, "Okay", ", checking"),
    PING,
    *_tool(1, "get_weather", "", '{"location":', ' "San Francisco', '"}'),
    _end("tool_use", 89),
    STOP,
)


def _run(upstream: ReplayedUpstream, wants_usage: bool = False) -> tuple[list, StreamUsage]:
    usage = StreamUsage()

    async def collect() -> bytes:
        translator = StreamTranslator("claude-deployment", wants_usage, usage)
        return b"".join([chunk async for chunk in relay(upstream, translator)])

    raw = asyncio.run(collect())
    events = [block.removeprefix(b"data: ") for block in raw.split(b"\n\n") if block]
    return [e.decode() if e == b"[DONE]" else json.loads(e) for e in events], usage


def _chunks(body: bytes, **options) -> list:
    return _run(ReplayedUpstream.split(body), **options)[0]


def _deltas(events: list) -> list[dict]:
    return [e["choices"][0]["delta"] for e in events if isinstance(e, dict) and e.get("choices")]


def _finish(events: list) -> list[str]:
    return [
        e["choices"][0]["finish_reason"]
        for e in events
        if isinstance(e, dict) and e.get("choices") and e["choices"][0]["finish_reason"]
    ]


def test_text_stream_becomes_role_content_finish_and_done():
    events = _chunks(TEXT_STREAM)

    assert _deltas(events) == [
        {"role": "assistant", "content": ""},
        {"content": "Hello"},
        {"content": "!"},
        {},
    ]
    assert _finish(events) == ["stop"]
    assert events[-1] == "[DONE]"
    chunk = events[0]
    assert (chunk["id"], chunk["object"], chunk["model"]) == (
        "chatcmpl-msg_01Xyz",
        "chat.completion.chunk",
        "claude-x",
    )
    assert {e["id"] for e in events[:-1]} == {"chatcmpl-msg_01Xyz"}
    assert all("usage" not in e for e in events[:-1])


def test_usage_is_captured_even_when_the_client_did_not_ask_for_it():
    _, usage = _run(ReplayedUpstream.split(TEXT_STREAM))

    assert usage.counts == {
        "prompt_tokens": 25,
        "completion_tokens": 15,
        "total_tokens": 40,
        "prompt_tokens_details": {"cached_tokens": 0},
    }


def test_usage_chunk_comes_last_before_done_when_asked():
    events, usage = _run(ReplayedUpstream.split(TEXT_STREAM), wants_usage=True)

    *chunks, usage_chunk, done = events
    assert done == "[DONE]"
    assert usage_chunk["choices"] == []
    assert usage_chunk["usage"] == usage.counts
    assert usage_chunk["id"] == "chatcmpl-msg_01Xyz"
    assert all(chunk["usage"] is None for chunk in chunks)


def test_tool_use_becomes_a_tool_call_delta_then_argument_pieces():
    deltas = _deltas(_chunks(TOOL_STREAM))

    assert deltas[1:3] == [{"content": "Okay"}, {"content": ", checking"}]
    opening = {
        "index": 0,
        "id": "toolu_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": ""},
    }
    assert deltas[3] == {"tool_calls": [opening]}
    pieces = [d["tool_calls"][0]["function"]["arguments"] for d in deltas[4:-1]]
    assert pieces == ['{"location":', ' "San Francisco', '"}']
    assert all(d["tool_calls"][0]["index"] == 0 for d in deltas[4:-1])
    assert _finish(_chunks(TOOL_STREAM)) == ["tool_calls"]


def test_second_tool_gets_the_next_tool_call_index():
    body = _sse(START, *_tool(0, "a", '{"x":1}'), *_tool(1, "b", '{"y":2}'), STOP)

    indexes = [d["tool_calls"][0]["index"] for d in _deltas(_chunks(body)) if "tool_calls" in d]

    assert indexes == [0, 0, 1, 1]


def test_tool_without_arguments_still_gets_an_empty_json_object():
    body = _sse(START, *_tool(0, "now", ""), _end("tool_use", 5), STOP)

    deltas = _deltas(_chunks(body))

    assert deltas[2] == {"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]}


def test_json_tool_pieces_stream_as_content_and_finish_with_stop():
    body = _sse(
        START, *_tool(0, "json_response", "", '{"answer": ', '"hi"}'), _end("tool_use", 9), STOP
    )

    events = _chunks(body)

    assert "".join(d.get("content") or "" for d in _deltas(events)) == '{"answer": "hi"}'
    assert not any("tool_calls" in d for d in _deltas(events))
    assert _finish(events) == ["stop"]


def test_ping_thinking_and_unknown_events_are_skipped():
    thinking = _block(
        0, {"type": "thinking", "thinking": ""}, {"type": "thinking_delta", "thinking": "hmm"}
    )
    body = _sse(START, PING, *thinking, ("future_event", {"x": 1}), *_text(1, "42"), STOP)

    assert _deltas(_chunks(body)) == [{"role": "assistant", "content": ""}, {"content": "42"}, {}]


def test_stream_split_at_every_byte_translates_the_same():
    whole = _chunks(TOOL_STREAM)
    split, _ = _run(ReplayedUpstream.split(TOOL_STREAM, piece=1))

    assert _deltas(split) == _deltas(whole)
    assert split[-1] == "[DONE]"


def test_error_event_becomes_an_openai_error_event_without_done():
    error = ("error", {"error": {"type": "overloaded_error", "message": "Overloaded"}})
    upstream = ReplayedUpstream.split(_sse(START, *_text(0, "Hel")[:2], error))

    events, _ = _run(upstream)

    assert events[-1] == {
        "error": {
            "message": "anthropic failed mid-stream with overloaded_error: Overloaded",
            "type": "server_error",
            "param": None,
            "code": "overloaded",
        }
    }
    assert "[DONE]" not in events
    assert upstream.closed


@pytest.mark.parametrize(
    ("upstream", "code"),
    [
        (ReplayedUpstream.split(_sse(START, *_text(0, "Hel"))), "stream_truncated"),
        (
            ReplayedUpstream.split(
                _sse(START), fail=UpstreamUnreachable("reset", code="stream_interrupted")
            ),
            "stream_interrupted",
        ),
        (ReplayedUpstream.split(b"event: message_start\ndata: {not json\n\n"), "bad_upstream"),
    ],
    ids=["ends-early", "connection-breaks", "not-json"],
)
def test_broken_upstream_stream_ends_with_an_error_event(upstream, code):
    events, _ = _run(upstream)

    assert events[-1]["error"]["code"] == code
    assert "[DONE]" not in events
    assert upstream.closed


def test_events_after_message_stop_are_not_relayed():
    events = _chunks(TEXT_STREAM + _sse(*_text(1, "late")))

    assert events[-1] == "[DONE]"
    assert {"content": "late"} not in _deltas(events)


def test_usage_counted_before_an_unreadable_event_is_kept():
    broken = b"event: content_block_delta\ndata: {not json\n\n"

    events, usage = _run(ReplayedUpstream.split(_sse(START) + broken))  # one read holding both

    assert events[-1]["error"]["code"] == "bad_upstream"
    assert usage.counts is not None and usage.counts["prompt_tokens"] == 25


def test_every_chunk_names_the_stream_creation_time():
    before = int(time.time())
    events = [e for e in _chunks(TOOL_STREAM, wants_usage=True) if isinstance(e, dict)]

    assert len({e["created"] for e in events}) == 1
    assert before <= events[0]["created"] <= int(time.time())
