"""Micro-benchmarks: each Rust primitive in ferrogate.core against the plain Python way.

Run with ``.venv/bin/python bench/core_micro.py [--rounds N] [--round-ms MS]``. Each case runs
both sides for several rounds of a calibrated number of calls and prints the median time per
call; the ratio is Python time over Rust time (above 1 means Rust is faster). Nothing asserts
on timings: machines differ, the table is for reading.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ferrogate import core

Call = Callable[[], object]
ROW = "{:<31} {:>10} {:>10} {:>7}  {}"
LINE_ENDING = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True)
class Case:
    name: str
    rust: Call
    python: Call
    python_label: str


# ---- plain Python counterparts -------------------------------------------------------------


class PythonGcra:
    """The same GCRA arithmetic as the Rust core, in Python."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst, self.tat = rate, burst, float("-inf")

    def try_acquire(self, cost: float, now: float) -> tuple[bool, float, float]:
        debt = max(self.tat - now, 0.0)
        if cost > self.burst:
            return False, float("inf"), self.burst - debt * self.rate
        needed = debt + cost / self.rate
        over = needed - self.burst / self.rate
        if over <= 0.0:
            self.tat = now + needed
            return True, 0.0, self.burst - needed * self.rate
        return False, over, self.burst - debt * self.rate


class PythonSseParser:
    """A typical hand-written incremental SSE parser: split the buffer into lines."""

    def __init__(self) -> None:
        self.buffer, self.data, self.event = b"", [], None

    def feed(self, chunk: bytes) -> list[tuple[bytes, str | None]]:
        *lines, self.buffer = LINE_ENDING.split(self.buffer + chunk)
        events = []
        for line in lines:
            if not line:
                if self.data:
                    events.append((b"\n".join(self.data), self.event))
                self.data, self.event = [], None
            elif line.startswith(b"data:"):
                self.data.append(line[5:].removeprefix(b" "))
            elif line.startswith(b"event:"):
                self.event = line[6:].strip().decode()
        return events


def python_frame(data: bytes, event: str | None = None) -> bytes:
    """A framer with the same guarantees as the Rust one: split lines, refuse line breaks."""
    if event is not None and ("\n" in event or "\r" in event):
        raise ValueError("event must not contain a line break")
    head = f"event: {event}\n".encode() if event is not None else b""
    return head + b"".join(b"data: " + line + b"\n" for line in LINE_ENDING.split(data)) + b"\n"


def python_request_hash(body: bytes) -> str:
    fields = json.loads(body)
    for name in ("metadata", "service_tier", "store", "stream", "stream_options", "user"):
        fields.pop(name, None)
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=16).hexdigest()


def python_normalize(v: np.ndarray) -> None:
    norm = np.linalg.norm(v)
    if norm > 0:
        v /= norm


def pure_python_dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def numpy_cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# ---- inputs ------------------------------------------------------------------------------


def chat_body(turns: int, image_bytes: int = 0) -> bytes:
    text = "Explain how a token bucket differs from a leaky bucket, with an example. " * 3
    messages = [{"role": "system", "content": text * 4}]
    messages += [{"role": ("user", "assistant")[i % 2], "content": text} for i in range(turns)]
    if image_bytes:
        url = "data:image/png;base64," + base64.b64encode(bytes(image_bytes)).decode()
        messages.append({"role": "user", "content": [{"type": "image_url", "image_url": url}]})
    body = {"model": "gpt-4o-mini", "temperature": 0.2, "stream": True, "messages": messages}
    return json.dumps(body).encode()


def sse_stream(events: int) -> bytes:
    chunk = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "choices": [{"delta": {"content": "Hi"}}],
    }
    return b"".join(b"data: " + json.dumps(chunk).encode() + b"\n\n" for _ in range(events))


def chunks(stream: bytes, size: int) -> list[bytes]:
    return [stream[i : i + size] for i in range(0, len(stream), size)]


# ---- cases -------------------------------------------------------------------------------


def limiter_cases() -> list[Case]:
    rust, python = core.Gcra(1e9, 1e9), PythonGcra(1e9, 1e9)
    rust_clock, python_clock = itertools.count(), itertools.count()
    keyed, buckets = core.KeyedLimiter(), {}
    keys = itertools.cycle([f"key-{i}" for i in range(1000)])

    def python_keyed() -> object:
        bucket = buckets.setdefault(next(keys), PythonGcra(100.0, 100.0))
        return bucket.try_acquire(1.0, 0.0)

    return [
        Case(
            "gcra try_acquire",
            lambda: rust.try_acquire(1.0, next(rust_clock) * 1e-6),
            lambda: python.try_acquire(1.0, next(python_clock) * 1e-6),
            "Python class",
        ),
        Case(
            "keyed try_acquire (1k keys)",
            lambda: keyed.try_acquire(next(keys), 100.0, 100.0, 1.0, 0.0),
            python_keyed,
            "dict of Python buckets",
        ),
    ]


def vector_cases() -> list[Case]:
    rng = np.random.default_rng(0)
    a, b = rng.random(1536, dtype=np.float32), rng.random(1536, dtype=np.float32)
    a_list, b_list = a.tolist(), b.tolist()
    matrix = rng.random((10_000, 1536), dtype=np.float32)
    v_rust, v_numpy = a.copy(), a.copy()
    return [
        Case("dot 1536", lambda: core.dot(a, b), lambda: float(a @ b), "numpy a @ b"),
        Case("dot 1536", lambda: core.dot(a, b), lambda: pure_python_dot(a_list, b_list), "lists"),
        Case("cosine 1536", lambda: core.cosine(a, b), lambda: numpy_cosine(a, b), "numpy"),
        Case(
            "normalize 1536",
            lambda: core.normalize(v_rust),
            lambda: python_normalize(v_numpy),
            "numpy v /= norm(v)",
        ),
        Case(
            "dot_batch 10k x 1536",
            lambda: core.dot_batch(matrix, b),
            lambda: matrix @ b,
            "numpy matrix @ q (BLAS, all cores)",
        ),
    ]


def hash_cases() -> list[Case]:
    bodies = [("small", chat_body(1)), ("typical", chat_body(6)), ("image", chat_body(6, 200_000))]
    return [
        Case(
            f"request_hash {label} ({len(body) / 1024:.1f} KiB)",
            lambda body=body: core.request_hash(body),
            lambda body=body: python_request_hash(body),
            "json sort_keys + blake2b",
        )
        for label, body in bodies
    ]


def sse_cases() -> list[Case]:
    stream = chunks(sse_stream(200), 4096)
    data = json.dumps({"choices": [{"delta": {"content": "Hello"}}]}).encode()
    text = data.decode()

    def rust_parse() -> object:
        parser = core.SseParser()
        return [parser.feed(chunk) for chunk in stream]

    def python_parse() -> object:
        parser = PythonSseParser()
        return [parser.feed(chunk) for chunk in stream]

    return [
        Case("SSE parse 200 events", rust_parse, python_parse, "regex line splitter"),
        Case(
            "frame_event",
            lambda: core.frame_event(data, "delta"),
            lambda: f"event: delta\ndata: {text}\n\n".encode(),
            "f-string (no checks)",
        ),
        Case(
            "frame_event",
            lambda: core.frame_event(data, "delta"),
            lambda: python_frame(data, "delta"),
            "same checks in Python",
        ),
    ]


# ---- timing ------------------------------------------------------------------------------


def calibrate(call: Call, round_ns: int) -> int:
    """Calls per round so that one round lasts about `round_ns`."""
    loops = 1
    while (elapsed := time_round(call, loops) * loops) < round_ns / 10:
        loops *= 10
    return max(1, int(loops * round_ns / max(elapsed, 1.0)))


def time_round(call: Call, loops: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(loops):
        call()
    return (time.perf_counter_ns() - start) / loops


def compare(case: Case, rounds: int, round_ns: int) -> tuple[float, float]:
    """Median ns per call of each side; rounds alternate so both see the same machine load."""
    loops = calibrate(case.rust, round_ns), calibrate(case.python, round_ns)
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for side, call in enumerate((case.rust, case.python)):
            samples[side].append(time_round(call, loops[side]))
    return statistics.median(samples[0]), statistics.median(samples[1])


def human(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.2f} {unit}"
    return f"{ns:.0f} ns"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds per side (default 7)")
    parser.add_argument("--round-ms", type=float, default=20, help="length of a round (20)")
    args = parser.parse_args()
    round_ns = int(args.round_ms * 1e6)

    cases = limiter_cases() + vector_cases() + hash_cases() + sse_cases()
    header = ROW.format("primitive", "rust", "python", "ratio", "python way")
    print(header, "-" * len(header), sep="\n")
    for case in cases:
        rust, python = compare(case, args.rounds, round_ns)
        ratio = f"{python / rust:.1f}x"
        print(ROW.format(case.name, human(rust), human(python), ratio, case.python_label))
    print(f"\nmedian of {args.rounds} rounds of ~{args.round_ms:g} ms; ratio = python / rust")


if __name__ == "__main__":
    main()
