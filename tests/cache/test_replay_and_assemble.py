"""Cached answers replayed as streams, and streamed answers assembled for the cache."""

from __future__ import annotations

import asyncio

import orjson
from hypothesis import given
from hypothesis import strategies as st

from ferrogate.cache.assemble import StreamAssembler
from ferrogate.cache.replay import replay_as_stream
from ferrogate.config import Deployment
from ferrogate.core import SseParser
from ferrogate.providers import ChatCall
from ferrogate.providers.demo import DemoProvider

TEXT = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Paris is the capital of France."},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 9, "completion_tokens": 7, "total_tokens": 16},
}
CALL = {
    "id": "call_1",
    "type": "function",
    "function": {"name": "get_weather", "arguments": '{"location":"Paris","unit":"celsius"}'},
}
TOOL = {
    **TEXT,
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": None, "tool_calls": [CALL]},
            "logprobs": None,
            "finish_reason": "tool_calls",
        }
    ],
}


def _assemble(events: list[bytes]) -> dict | None:
    assembler = StreamAssembler()
    assembler.feed(b"".join(events))
    body = assembler.completion()
    return None if body is None else orjson.loads(body)


def _chunks(events: list[bytes]) -> list[dict]:
    parsed = SseParser().feed(b"".join(events))
    return [orjson.loads(e.data) for e in parsed if e.data != b"[DONE]"]


def test_replayed_text_answer_assembles_back_to_the_same_completion():
    assert _assemble(replay_as_stream(orjson.dumps(TEXT), include_usage=True)) == TEXT


def test_replayed_tool_call_assembles_back_with_its_arguments():
    events = replay_as_stream(orjson.dumps(TOOL), include_usage=True)

    assert _assemble(events) == TOOL
    argument_pieces = [
        c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"]
        for c in _chunks(events)
        if c["choices"] and c["choices"][0]["delta"].get("tool_calls")
    ]
    assert len([p for p in argument_pieces if p]) > 1  # streamed in pieces, like a model


def test_replay_sends_word_sized_deltas_then_finish_then_done():
    events = replay_as_stream(orjson.dumps(TEXT), include_usage=False)
    chunks = _chunks(events)

    assert events[-1] == b"data: [DONE]\n\n"
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    words = [c["choices"][0]["delta"].get("content") for c in chunks[1:-1]]
    assert "".join(words) == "Paris is the capital of France."
    assert len(words) == 6
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert all("usage" not in c for c in chunks)


def test_stream_without_done_is_not_assembled():
    events = replay_as_stream(orjson.dumps(TEXT), include_usage=True)[:-1]

    assert _assemble(events) is None


def test_stream_with_an_error_event_is_not_assembled():
    events = replay_as_stream(orjson.dumps(TEXT), include_usage=True)
    error = b'data: {"error":{"message":"cut","type":"upstream_error","param":null,"code":"x"}}\n\n'

    assert _assemble([*events[:3], error, events[-1]]) is None


def test_stream_without_a_finish_reason_is_not_assembled():
    events = replay_as_stream(orjson.dumps(TEXT), include_usage=False)
    no_finish = [e for e in events if b'"finish_reason":"stop"' not in e]

    assert _assemble(no_finish) is None


@given(st.lists(st.integers(1, 40), max_size=30))
def test_assembly_does_not_depend_on_how_the_bytes_were_split(cuts):
    data = b"".join(replay_as_stream(orjson.dumps(TOOL), include_usage=True))
    assembler, start = StreamAssembler(), 0
    for cut in cuts:
        assembler.feed(data[start : start + cut])
        start += cut
    assembler.feed(data[start:])

    assert orjson.loads(assembler.completion()) == TOOL


def test_a_real_demo_stream_assembles_to_the_demo_answer():
    demo = DemoProvider(Deployment(provider="demo", model="demo"))
    body = {"model": "demo", "messages": [{"role": "user", "content": "hello cache"}]}
    call = ChatCall(
        body={**body, "stream": True, "stream_options": {"include_usage": True}},
        request_id="r",
    )

    async def run():
        whole = orjson.loads((await demo.complete(ChatCall(body=body, request_id="r"))).body)
        assembler = StreamAssembler()
        async for chunk in (await demo.stream(call)).chunks:
            assembler.feed(chunk)
        return whole, orjson.loads(assembler.completion())

    whole, assembled = asyncio.run(run())
    assert (
        assembled["choices"][0]["message"]["content"] == whole["choices"][0]["message"]["content"]
    )
    assert assembled["usage"] == whole["usage"]
