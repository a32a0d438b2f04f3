"""Several worker processes, one /metrics: every worker's counts summed.

The workers are real processes started with `spawn`, so each imports prometheus_client
afresh with PROMETHEUS_MULTIPROC_DIR already in its environment, as gateway workers do.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from ferrogate.telemetry import RequestRecord
from ferrogate.telemetry.metrics import GatewayMetrics, render
from ferrogate.telemetry.metrics_multiprocess import multiprocess_storage, prepare_multiprocess_dir

MODELS = ("gpt-4o-mini", "claude-haiku")


def serve_requests(count: int, model: str) -> None:
    """One worker: `count` chat requests for `model`, each 0.5 s long with 10 prompt tokens."""
    if not multiprocess_storage():
        raise SystemExit("prometheus_client did not start in multiprocess mode")
    metrics = GatewayMetrics(known_models=MODELS)
    for _ in range(count):
        metrics.observe(chat_record(model))
    metrics.flush()


# A gateway worker's metrics live as long as the process: one that exits cleanly writes what
# it still holds on the way out.
_kept_until_exit: list[GatewayMetrics] = []


def serve_and_exit(count: int) -> None:
    metrics = GatewayMetrics(known_models=MODELS, flush_interval_s=3600.0)
    _kept_until_exit.append(metrics)
    for _ in range(count):
        metrics.observe(chat_record("claude-haiku"))


def serve_then_idle(count: int, done, stop) -> None:
    """One worker on an event loop: `count` requests, then none until told to stop."""
    metrics = GatewayMetrics(known_models=MODELS, flush_interval_s=0.1)

    async def run() -> None:
        for _ in range(count):
            metrics.observe(chat_record("gpt-4o-mini"))
        done.set()
        while not stop.is_set():
            await asyncio.sleep(0.02)

    asyncio.run(run())


def chat_record(model: str) -> RequestRecord:
    return RequestRecord(
        "req",
        "chat",
        0.0,
        model=model,
        provider="openai",
        status=200,
        cache="miss",
        prompt_tokens=10,
        duration_s=0.5,
        stream=True,
        inter_token_s=[0.02, 0.02, 0.3],
        stages_s={"parse": 2e-5},
    )


@pytest.fixture
def multiprocess_dir(monkeypatch) -> str:
    directory = prepare_multiprocess_dir()
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", directory)
    return directory


def run_workers(jobs: list[tuple[int, str]]) -> None:
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=serve_requests, args=job) for job in jobs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0] * len(workers)


def scrape(directory: str):
    """/metrics as every worker's counts summed: a lookup of one sample's value."""
    body, _ = render(None, directory)
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }

    def sample(name: str, **labels: str) -> float:
        return samples[(name, tuple(sorted(labels.items())))]

    return sample


def test_metrics_from_two_workers_are_summed(multiprocess_dir):
    run_workers([(3, "gpt-4o-mini"), (4, "gpt-4o-mini")])

    sample = scrape(multiprocess_dir)

    chat = {"route": "chat", "model": "gpt-4o-mini"}
    request = chat | {"provider": "openai", "status": "200", "cache": "miss"}
    assert sample("ferrogate_requests_total", **request) == 7
    assert sample("ferrogate_tokens_total", model="gpt-4o-mini", direction="prompt") == 70
    assert sample("ferrogate_request_duration_seconds_count", **chat) == 7
    assert sample("ferrogate_request_duration_seconds_sum", **chat) == pytest.approx(3.5)
    assert sample("ferrogate_request_duration_seconds_bucket", **chat, le="0.5") == 7
    assert sample("ferrogate_request_duration_seconds_bucket", **chat, le="0.25") == 0
    assert sample("ferrogate_inter_token_seconds_count", model="gpt-4o-mini") == 21
    assert sample("ferrogate_inter_token_seconds_bucket", model="gpt-4o-mini", le="0.02") == 14
    assert sample("ferrogate_stage_seconds_count", stage="parse") == 7
    assert sample("ferrogate_stream_outcomes_total", outcome="completed") == 7


def test_each_worker_keeps_its_own_labels_in_the_sum(multiprocess_dir):
    run_workers([(2, "gpt-4o-mini"), (5, "claude-haiku")])

    sample = scrape(multiprocess_dir)

    request = {"route": "chat", "provider": "openai", "status": "200", "cache": "miss"}
    assert sample("ferrogate_requests_total", **request, model="gpt-4o-mini") == 2
    assert sample("ferrogate_requests_total", **request, model="claude-haiku") == 5


def test_a_worker_that_exits_cleanly_writes_what_it_still_held(multiprocess_dir):
    spawn = multiprocessing.get_context("spawn")
    worker = spawn.Process(target=serve_and_exit, args=(5,))
    worker.start()
    worker.join(timeout=60)
    assert worker.exitcode == 0

    request = {"route": "chat", "provider": "openai", "status": "200", "cache": "miss"}
    assert (
        scrape(multiprocess_dir)("ferrogate_requests_total", **request, model="claude-haiku") == 5
    )


def test_an_idle_workers_counts_reach_metrics_while_it_still_runs(multiprocess_dir):
    spawn = multiprocessing.get_context("spawn")
    done, stop = spawn.Event(), spawn.Event()
    worker = spawn.Process(target=serve_then_idle, args=(6, done, stop))
    worker.start()
    try:
        assert done.wait(timeout=60)
        request = {"route": "chat", "model": "gpt-4o-mini", "provider": "openai"}
        request |= {"status": "200", "cache": "miss"}
        deadline = time.monotonic() + 10
        while (count := _requests(multiprocess_dir, request)) != 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert count == 6
        assert worker.is_alive()
    finally:
        stop.set()
        worker.join(timeout=60)
    assert worker.exitcode == 0


def _requests(directory: str, labels: dict[str, str]) -> float | None:
    try:
        return scrape(directory)("ferrogate_requests_total", **labels)
    except KeyError:
        return None


def test_a_prepared_directory_starts_empty(tmp_path):
    stale = tmp_path / "counter_1234.db"
    stale.write_bytes(b"from a previous run")
    (tmp_path / "notes.txt").write_text("not ours")

    directory = prepare_multiprocess_dir(str(tmp_path))

    assert sorted(os.listdir(directory)) == ["notes.txt"]
    assert os.listdir(prepare_multiprocess_dir()) == []
