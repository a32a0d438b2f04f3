"""Finished records reach the sinks in batches: in order, all of them, and soon when idle."""

from __future__ import annotations

import asyncio
import logging
import time

from ferrogate.gateway.http import Request
from ferrogate.gateway.request_telemetry import BATCH_RECORDS, DRAIN_EVERY_S, RequestTelemetry
from ferrogate.telemetry import RequestRecord

CHAT = Request("POST", "/v1/chat/completions", {}, b"{}")


def _finished(telemetry: RequestTelemetry, count: int, prefix: str = "req") -> None:
    for number in range(count):
        record = telemetry.begin(CHAT, f"{prefix}-{number}")
        record.status = 200
        telemetry.finish(record)


def test_a_full_batch_reaches_every_sink_in_order():
    first: list[RequestRecord] = []
    second: list[RequestRecord] = []
    telemetry = RequestTelemetry([first.append, second.append])

    _finished(telemetry, BATCH_RECORDS - 1)
    assert first == [] and second == []  # held: no loop runs here to drain them early
    _finished(telemetry, 1, prefix="last")

    ids = [f"req-{number}" for number in range(BATCH_RECORDS - 1)] + ["last-0"]
    assert [record.request_id for record in first] == ids
    assert [record.request_id for record in second] == ids


def test_readers_drain_what_is_held():
    seen: list[RequestRecord] = []
    telemetry = RequestTelemetry([seen.append])
    _finished(telemetry, 3)
    telemetry.drain()
    assert [record.request_id for record in seen] == ["req-0", "req-1", "req-2"]


def test_held_records_are_delivered_soon_when_traffic_stops():
    seen: list[tuple[str, float]] = []

    def stamp(record: RequestRecord) -> None:
        seen.append((record.request_id, time.monotonic()))

    telemetry = RequestTelemetry([stamp])

    async def two_requests_then_quiet() -> float:
        _finished(telemetry, 2)
        ended = time.monotonic()
        await asyncio.sleep(DRAIN_EVERY_S * 3)
        return ended

    ended = asyncio.run(two_requests_then_quiet())
    assert [request_id for request_id, _ in seen] == ["req-0", "req-1"]
    assert all(at - ended <= DRAIN_EVERY_S * 2 for _, at in seen)


def test_aclose_delivers_what_is_held_before_the_sinks_close():
    events: list[str] = []

    async def close() -> None:
        events.append("closed")

    telemetry = RequestTelemetry([lambda record: events.append(record.request_id)], closers=[close])
    _finished(telemetry, 2)
    asyncio.run(telemetry.aclose())
    assert events == ["req-0", "req-1", "closed"]


def test_a_failing_sink_loses_only_its_own_call(caplog):
    seen: list[str] = []

    def picky(record: RequestRecord) -> None:
        if record.request_id == "req-1":
            raise RuntimeError("boom")
        seen.append(record.request_id)

    telemetry = RequestTelemetry([picky])
    _finished(telemetry, 3)
    with caplog.at_level(logging.WARNING, logger="ferrogate.gateway"):
        telemetry.drain()
    assert seen == ["req-0", "req-2"]
    assert "a telemetry sink failed" in caplog.text


def test_the_access_line_is_written_as_the_request_ends(caplog):
    telemetry = RequestTelemetry([], access=True)
    with caplog.at_level(logging.INFO, logger="ferrogate.access"):
        _finished(telemetry, 1)
    assert "req-0" in caplog.text
