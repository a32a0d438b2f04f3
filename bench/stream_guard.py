"""What bounding a stream's waits costs a chunk: the guard's one-timer watchdog against
`asyncio.timeout` around each wait (the guard's way before) and against no bound at all.

    .venv/bin/python bench/stream_guard.py

Streams of 500 chunks (a real upstream sends about one a token) from an in-memory source
on uvloop, the three ways interleaved over 7 rounds; prints the median µs a chunk and the
ratios.
"""

import asyncio
import statistics
import time
from collections.abc import AsyncIterator

import uvloop

from ferrogate.gateway.stream_guard import guarded
from ferrogate.telemetry import RequestRecord

CHUNKS, STREAMS, ROUNDS = 500, 200, 7
IDLE_S, MAX_S = 300.0, 600.0


async def source() -> AsyncIterator[bytes]:
    for _ in range(CHUNKS):
        yield b'data: {"choices":[{"delta":{"content":"x"}}]}\n\n'
    yield b"data: [DONE]\n\n"


async def timeout_per_wait() -> AsyncIterator[bytes]:
    """The guard's former loop, reduced to its timing: a fresh timeout around each wait."""
    chunks = source()
    while True:
        try:
            async with asyncio.timeout(IDLE_S):
                chunk = await anext(chunks)
        except StopAsyncIteration:
            return
        yield chunk


def record() -> RequestRecord:
    return RequestRecord("bench", "chat", 0.0, stream=True)


WAYS = {
    "no bound": lambda: guarded(source(), record()),
    "timeout per wait": timeout_per_wait,
    "watchdog (guard)": lambda: guarded(source(), record(), IDLE_S, max_duration_s=MAX_S),
}


async def per_chunk_us(make) -> float:
    started = time.perf_counter()
    for _ in range(STREAMS):
        async for _chunk in make():
            pass
    return (time.perf_counter() - started) / (STREAMS * CHUNKS) * 1e6


async def main() -> None:
    samples: dict[str, list[float]] = {name: [] for name in WAYS}
    for _ in range(ROUNDS):
        for name, make in WAYS.items():
            samples[name].append(await per_chunk_us(make))
    floor = statistics.median(samples["no bound"])
    print(f"{'way':<20}{'µs/chunk':>10}{'vs no bound':>14}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:<20}{median:>10.2f}{median / floor:>13.2f}x")


if __name__ == "__main__":
    uvloop.run(main())
