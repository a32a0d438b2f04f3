"""Recorded Gemini streams relayed as OpenAI chunk streams."""

from __future__ import annotations

import asyncio
import json

import pytest

from ferrogate.errors import UpstreamUnreachable
from ferrogate.providers.base import StreamUsage
from ferrogate.providers.gemini.stream import ChunkWriter, relay
from ferrogate.providers.gemini.tools import signature_in

from . import recorded


class FakeUpstream:
    def __init__(self, chunks: list[bytes], fail_after: bool = False):
        self._chunks = chunks
        self._fail_after = fail_after
        self.closed = False

    async def chunks(self):
        for chunk in self._chunks:
            yield chunk
        if self._fail_after:
            raise UpstreamUnreachable("connection reset", code="stream_interrupted")

    async def close(self):
        self.closed = True


def _relay(chunks, wants_usage=False, fail_after=False):
    upstream = FakeUpstream(chunks, fail_after)
    usage = StreamUsage()

    async def collect():
        writer = ChunkWriter("deployment-model", usage)
        return [event async for event in relay(upstream, writer, wants_usage)]

    events = asyncio.run(collect())
    assert upstream.closed
    return events, usage


def _payloads(events: list[bytes]) -> list:
    payloads = []
    for event in events:
        assert event.startswith(b"data: ") and event.endswith(b"\n\n")
        data = event[len(b"data: ") : -2]
        payloads.append(data.decode() if data == b"[DONE]" else json.loads(data))
    return payloads


def _deltas(payloads):
    return [p["choices"][0]["delta"] for p in payloads if isinstance(p, dict) and p.get("choices")]


def _finishes(payloads):
    return [
        p["choices"][0]["finish_reason"]
        for p in payloads
        if isinstance(p, dict) and p.get("choices") and p["choices"][0]["finish_reason"]
    ]


@pytest.mark.parametrize("chunks", [recorded.TEXT, recorded.TEXT_SPLIT], ids=["whole", "split"])
def test_text_stream_becomes_role_then_content_deltas_then_stop(chunks):
    events, usage = _relay(chunks)
    payloads = _payloads(events)

    assert _deltas(payloads) == [
        {"role": "assistant", "content": ""},
        {"content": "Hello"},
        {"content": " there"},
        {"content": ", friend."},
        {},
    ]
    assert _finishes(payloads) == ["stop"]
    assert payloads[-1] == "[DONE]"
    assert payloads[0]["object"] == "chat.completion.chunk"
    assert payloads[0]["id"] == "chatcmpl-resp-1"
    assert payloads[0]["model"] == "gemini-2.5-flash"
    assert usage.counts["prompt_tokens"] == 9
    assert usage.counts["completion_tokens"] == 4


def test_usage_chunk_comes_last_when_the_client_asks():
    payloads = _payloads(_relay(recorded.TEXT, wants_usage=True)[0])

    assert payloads[-1] == "[DONE]"
    assert payloads[-2]["choices"] == []
    assert payloads[-2]["usage"]["total_tokens"] == 13


def test_no_usage_chunk_unless_asked():
    payloads = _payloads(_relay(recorded.TEXT)[0])

    assert not any(isinstance(p, dict) and "usage" in p for p in payloads)


def test_function_call_arrives_as_one_tool_call_chunk():
    events, usage = _relay(recorded.TOOL_CALL)
    payloads = _payloads(events)

    (call_delta,) = [d for d in _deltas(payloads) if "tool_calls" in d]
    (call,) = call_delta["tool_calls"]
    assert call["index"] == 0 and call["type"] == "function"
    assert call["function"] == {"name": "get_weather", "arguments": '{"city":"Paris"}'}
    assert signature_in(call["id"]) == "c2lnbmF0dXJl"
    assert _finishes(payloads) == ["tool_calls"]
    assert usage.counts["completion_tokens"] == 12


def test_max_tokens_finishes_with_length():
    payloads = _payloads(_relay(recorded.LENGTH)[0])

    assert _finishes(payloads) == ["length"]
    assert payloads[-1] == "[DONE]"


def test_blocked_prompt_finishes_with_content_filter():
    payloads = _payloads(_relay(recorded.BLOCKED_PROMPT)[0])

    assert _deltas(payloads) == [{"role": "assistant", "content": ""}, {}]
    assert _finishes(payloads) == ["content_filter"]
    assert payloads[-1] == "[DONE]"


def test_stream_ends_with_error_event_when_upstream_stops_before_a_finish_reason():
    events, usage = _relay(recorded.CUT)
    payloads = _payloads(events)

    assert payloads[-1]["error"]["code"] == "stream_truncated"
    assert "[DONE]" not in payloads
    assert [d.get("content") for d in _deltas(payloads)] == ["", "Hello", " there"]
    assert usage.counts["completion_tokens"] == 2  # billed for what was produced


def test_google_error_written_mid_stream_reaches_the_client():
    payloads = _payloads(_relay(recorded.ERROR_TAIL)[0])

    assert payloads[-1]["error"] == {
        "message": "The model is overloaded. Please try again later.",
        "type": "server_error",
        "param": None,
        "code": "service_unavailable",
    }
    assert "[DONE]" not in payloads


def test_broken_connection_becomes_an_error_event():
    payloads = _payloads(_relay(recorded.CUT, fail_after=True)[0])

    assert payloads[-1]["error"]["code"] == "stream_interrupted"


def test_event_that_is_not_json_becomes_an_error_event():
    payloads = _payloads(_relay([b"data: {not json\r\n\r\n"])[0])

    assert payloads[-1]["error"]["code"] == "bad_upstream_stream"
