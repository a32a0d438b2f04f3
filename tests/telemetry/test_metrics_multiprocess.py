"""Several worker processes, one /metrics: every worker's counts summed.

The workers are real processes started with `spawn`, so each imports prometheus_client
afresh with PROMETHEUS_MULTIPROC_DIR already in its environment, as gateway workers do.
"""

from __future__ import annotations

import multiprocessing
import os

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
        record = RequestRecord(
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
        metrics.observe(record)


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


def test_a_prepared_directory_starts_empty(tmp_path):
    stale = tmp_path / "counter_1234.db"
    stale.write_bytes(b"from a previous run")
    (tmp_path / "notes.txt").write_text("not ours")

    directory = prepare_multiprocess_dir(str(tmp_path))

    assert sorted(os.listdir(directory)) == ["notes.txt"]
    assert os.listdir(prepare_multiprocess_dir()) == []
