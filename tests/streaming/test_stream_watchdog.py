"""The stream guard's one-timer watchdog: idle waits end, busy streams and slow clients do
not, and a client that leaves is not mistaken for a timeout."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import pytest

from ferrogate.gateway.stream_guard import guarded
from ferrogate.providers.sse import DONE
from ferrogate.telemetry import RequestRecord

pytestmark = pytest.mark.anyio
IDLE_S = 0.2


@pytest.fixture
def anyio_backend():
    return "asyncio"


def record() -> RequestRecord:
    return RequestRecord("req", "chat", time.time(), stream=True)


def event(n: int) -> bytes:
    return b'data: {"n": %d}\n\n' % n


async def paced(gaps_s: list[float], end: bool = True) -> AsyncIterator[bytes]:
    for n, gap_s in enumerate(gaps_s):
        await asyncio.sleep(gap_s)
        yield event(n)
    if end:
        yield DONE


def error_code(chunk: bytes) -> str:
    return json.loads(chunk.removeprefix(b"data: "))["error"]["code"]


async def test_a_silent_upstream_is_ended_after_the_idle_time():
    started = time.monotonic()
    chunks = [c async for c in guarded(paced([0.0, 5.0]), record(), IDLE_S)]
    took_s = time.monotonic() - started

    assert chunks[0] == event(0)
    assert error_code(chunks[-1]) == "stream_idle_timeout"
    assert IDLE_S <= took_s < IDLE_S + 0.5


async def test_chunks_closer_than_the_idle_time_never_time_out_however_long_the_stream():
    gaps = [IDLE_S * 0.6] * 8  # ~1 s in all, five idle periods, no single gap too long
    seen = record()
    chunks = [c async for c in guarded(paced(gaps), seen, IDLE_S)]

    assert chunks == [*(event(n) for n in range(8)), DONE]
    assert seen.outcome == "completed"


async def test_time_spent_handing_chunks_to_a_slow_client_is_not_idle():
    chunks = []
    async for chunk in guarded(paced([0.0] * 3), record(), IDLE_S):
        chunks.append(chunk)
        await asyncio.sleep(IDLE_S * 2)  # the client reads slowly; the upstream is quick
    assert chunks == [event(0), event(1), event(2), DONE]


async def test_a_client_that_leaves_during_a_wait_cancels_and_is_not_a_timeout():
    seen = record()

    async def read_all() -> list[bytes]:
        return [c async for c in guarded(paced([0.0, 5.0]), seen, IDLE_S * 5)]

    reader = asyncio.create_task(read_all())
    await asyncio.sleep(IDLE_S)
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    assert seen.outcome == "cancelled"


async def test_a_stream_that_never_pauses_is_ended_at_its_duration_bound():
    seen = record()
    chunks = [c async for c in guarded(paced([0.01] * 200), seen, IDLE_S, max_duration_s=IDLE_S)]
    assert error_code(chunks[-1]) == "stream_max_duration"
    assert seen.outcome == "timed_out" and seen.error_code == "stream_max_duration"
    assert 5 < len(chunks) < 200
