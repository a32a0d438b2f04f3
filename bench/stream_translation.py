"""Anthropic -> OpenAI stream translation: the plain-Python translator against the Rust core.

Run with ``.venv/bin/python bench/stream_translation.py [--rounds N] [--round-ms MS]``.

The input is a recorded-style Anthropic stream: message_start, ping, content_block_start, 200
text deltas of short token texts (quotes, backslashes, tabs, newlines, accents, CJK, emoji,
so that JSON escaping is part of the work), content_block_stop, message_delta with usage and
message_stop, in Anthropic's own compact JSON. It is fed as network reads of one or two events
(what a streaming upstream delivers), and once more in 4 KiB reads (a backlog read at once).

Sides, each translating the whole stream to OpenAI bytes with usage requested:
- python: the translator the adapter used before (stream_reference.py), driven exactly as
  its relay drove it: SseParser.feed per read, translator.feed per event, one join per read.
- rust: the adapter's StreamTranslator (stream.py), one call into AnthropicStreamTranslator
  per read plus reading back usage and the end of the stream.
- The `relay()` rows run each side's whole async generator over a fake upstream, driven
  without an event loop, so they add what the adapter adds around translation.
- `native only` is the bare Rust call per read, without the adapter's Python around it.

Rounds alternate between the sides so that both see the same machine load; the table shows
medians, per stream and per content delta (stream time / 200), and the ratio python / rust.
Both sides' bytes are compared before timing. Nothing asserts on timings. The figures that
moved the translation into Rust are in the NOTE of python/ferrogate/providers/anthropic/stream.py.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from unittest import mock

from ferrogate.core import AnthropicStreamTranslator, SseParser
from ferrogate.providers.anthropic import stream, stream_reference
from ferrogate.providers.anthropic.tools import JSON_TOOL
from ferrogate.providers.base import StreamUsage

DELTAS = 200
MODEL = "claude-sonnet-4-5"
ROW = "{:<34} {:>11} {:>11} {:>10} {:>10} {:>7}"
# Token texts as a chat model streams them, with everything JSON has to escape or keep.
TOKENS = [
    "The", " answer", " is", ",", " of", " course", ":", "\n\n", "- ", " **", "bold", "**",
    ' "quoted"', " it's", " back\\slash", "\t", " café", " naïve", " Zürich", " 東京", "へ",
    " 😀", " —", " 42", "%", " <b>", "</b>", " {\"k\":", " 1}", ".", "\n", " é\u0301",
]  # fmt: skip

Translate = Callable[[list[bytes]], list[bytes]]


def event(name: str, data: dict) -> bytes:
    body = json.dumps({"type": name, **data}, ensure_ascii=False, separators=(",", ":"))
    return f"event: {name}\ndata: {body}\n\n".encode()


def recorded_stream(rng: random.Random) -> list[bytes]:
    message = {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "content": [],
        "model": MODEL,
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 472, "cache_read_input_tokens": 1024, "output_tokens": 1},
    }
    text = [{"type": "text_delta", "text": rng.choice(TOKENS)} for _ in range(DELTAS)]
    end = {"stop_reason": "end_turn", "stop_sequence": None}
    return [
        event("message_start", {"message": message}),
        event("ping", {}),
        event("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}}),
        *(event("content_block_delta", {"index": 0, "delta": delta}) for delta in text),
        event("content_block_stop", {"index": 0}),
        event("message_delta", {"delta": end, "usage": {"output_tokens": DELTAS}}),
        event("message_stop", {}),
    ]


def event_reads(events: list[bytes], rng: random.Random) -> list[bytes]:
    reads, at = [], 0
    while at < len(events):
        take = rng.choice((1, 2))
        reads.append(b"".join(events[at : at + take]))
        at += take
    return reads


def sized_reads(events: list[bytes], size: int) -> list[bytes]:
    whole = b"".join(events)
    return [whole[at : at + size] for at in range(0, len(whole), size)]


# ---- the sides ---------------------------------------------------------------------------


def python_side(reads: list[bytes]) -> list[bytes]:
    parser = SseParser()
    translator = stream_reference.StreamTranslator(MODEL, True, StreamUsage())
    sent = []
    for chunk in reads:
        out = stream_reference.translate_read(parser, translator, chunk)
        if out:
            sent.append(out)
        if translator.finished:
            break
    return sent


def rust_side(reads: list[bytes]) -> list[bytes]:
    translator = stream.StreamTranslator(MODEL, True, StreamUsage())
    sent = []
    for chunk in reads:
        out = translator.feed(chunk)
        if out:
            sent.append(out)
        if translator.finished:
            break
    return sent


def native_only(reads: list[bytes]) -> list[bytes]:
    created = int(time.time())
    translator = AnthropicStreamTranslator(
        MODEL, include_usage=True, created=created, json_tool=JSON_TOOL
    )
    sent = []
    for chunk in reads:
        out, changed = translator.feed(chunk)
        if out:
            sent.append(out)
        if changed and translator.finished:
            break
    return sent


class ReplayedUpstream:
    def __init__(self, reads: list[bytes]):
        self._reads = reads

    async def chunks(self) -> AsyncIterator[bytes]:
        for chunk in self._reads:
            yield chunk

    async def close(self) -> None:
        pass


def through_relay(module) -> Translate:
    async def drain(reads: list[bytes]) -> list[bytes]:
        translator = module.StreamTranslator(MODEL, True, StreamUsage())
        return [out async for out in module.relay(ReplayedUpstream(reads), translator)]

    def run(reads: list[bytes]) -> list[bytes]:
        # Nothing in the replay waits, so the coroutine finishes on its first step.
        coroutine = drain(reads)
        try:
            coroutine.send(None)
        except StopIteration as done:
            return done.value
        raise RuntimeError("the relay waited on something")

    return run


# ---- timing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    reads: list[bytes]
    python: Translate
    rust: Translate


def check_same_bytes(case: Case) -> None:
    with mock.patch("time.time", return_value=1_700_000_000.0):
        python, rust = b"".join(case.python(case.reads)), b"".join(case.rust(case.reads))
    if python != rust:
        raise SystemExit(f"{case.name}: the two sides wrote different bytes; fix that first")


def time_round(call: Callable[[], object], loops: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(loops):
        call()
    return (time.perf_counter_ns() - start) / loops


def calibrate(call: Callable[[], object], round_ns: int) -> int:
    loops = 1
    while (elapsed := time_round(call, loops) * loops) < round_ns / 10:
        loops *= 10
    return max(1, int(loops * round_ns / max(elapsed, 1.0)))


def compare(case: Case, rounds: int, round_ns: int) -> tuple[float, float]:
    """Median ns per stream of each side."""
    sides = (lambda: case.python(case.reads), lambda: case.rust(case.reads))
    loops = [calibrate(side, round_ns) for side in sides]
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for index, side in enumerate(sides):
            samples[index].append(time_round(side, loops[index]))
    return statistics.median(samples[0]), statistics.median(samples[1])


def cases() -> list[Case]:
    rng = random.Random(20240607)
    events = recorded_stream(rng)
    reads = event_reads(events, rng)
    backlog = sized_reads(events, 4096)
    python_relay, rust_relay = through_relay(stream_reference), through_relay(stream)
    return [
        Case(f"translate, {len(reads)} reads of 1-2 events", reads, python_side, rust_side),
        Case(f"relay(), {len(reads)} reads of 1-2 events", reads, python_relay, rust_relay),
        Case(f"translate, {len(backlog)} reads of 4 KiB", backlog, python_side, rust_side),
        Case("native only, reads of 1-2 events", reads, python_side, native_only),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="rounds per side (default 9)")
    parser.add_argument("--round-ms", type=float, default=50, help="length of a round (50)")
    args = parser.parse_args()
    round_ns = int(args.round_ms * 1e6)

    header = ROW.format("200-delta stream", "python", "rust", "py/delta", "rs/delta", "ratio")
    print(header, "-" * len(header), sep="\n")
    for case in cases():
        check_same_bytes(case)
        python, rust = compare(case, args.rounds, round_ns)
        print(
            ROW.format(
                case.name,
                f"{python / 1e3:.0f} µs",
                f"{rust / 1e3:.0f} µs",
                f"{python / DELTAS:.0f} ns",
                f"{rust / DELTAS:.0f} ns",
                f"{python / rust:.1f}x",
            )
        )
    print(f"\nmedian of {args.rounds} rounds of ~{args.round_ms:g} ms; ratio = python / rust")


if __name__ == "__main__":
    main()
