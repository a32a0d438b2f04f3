"""When buffered metric updates reach prometheus_client: at a flush, at render, on a timer."""

from __future__ import annotations

import asyncio
import time

from prometheus_client import CollectorRegistry

from ferrogate.telemetry import RequestRecord
from ferrogate.telemetry.metrics import GatewayMetrics

REQUESTS = "ferrogate_requests_total"
LABELS = {"route": "chat", "model": "m", "provider": "openai", "status": "200", "cache": "none"}
AN_HOUR = 3600.0


def chat() -> RequestRecord:
    return RequestRecord("req", "chat", 0.0, model="m", provider="openai", status=200)


def written(metrics: GatewayMetrics) -> float | None:
    """What prometheus_client holds now, without flushing first."""
    return metrics.registry.get_sample_value(REQUESTS, LABELS)


def test_updates_wait_in_the_worker_until_a_flush():
    metrics = GatewayMetrics(CollectorRegistry(), known_models=["m"], flush_interval_s=AN_HOUR)
    for _ in range(3):
        metrics.observe(chat())

    # The first observe flushes at once (it also starts the timer); the rest wait.
    assert written(metrics) == 1
    metrics.flush()
    assert written(metrics) == 3


def test_render_shows_this_workers_updates_without_waiting():
    metrics = GatewayMetrics(CollectorRegistry(), known_models=["m"], flush_interval_s=AN_HOUR)
    for _ in range(4):
        metrics.observe(chat())

    body, _ = metrics.render()

    assert 'ferrogate_requests_total{cache="none",model="m"' in body.decode()
    assert written(metrics) == 4


def test_an_idle_worker_flushes_on_its_event_loop_without_further_requests():
    metrics = GatewayMetrics(CollectorRegistry(), known_models=["m"], flush_interval_s=0.05)

    async def serve_then_idle() -> float | None:
        for _ in range(5):
            metrics.observe(chat())
        # No more requests: only the timer can write the last ones out.
        deadline = time.monotonic() + 10
        while written(metrics) != 5 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return written(metrics)

    assert asyncio.run(serve_then_idle()) == 5


def test_a_flush_on_a_running_loop_reports_its_live_tasks():
    metrics = GatewayMetrics(CollectorRegistry(), known_models=["m"], flush_interval_s=AN_HOUR)

    async def with_sleepers() -> float | None:
        sleepers = [asyncio.create_task(asyncio.sleep(60)) for _ in range(3)]
        await asyncio.sleep(0)
        metrics.flush()
        for sleeper in sleepers:
            sleeper.cancel()
        return metrics.registry.get_sample_value("ferrogate_event_loop_tasks")

    # The three sleepers and the test's own task: a leak shows as a count that keeps rising.
    assert asyncio.run(with_sleepers()) == 4
