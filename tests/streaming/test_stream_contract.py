"""The streaming contract through a real gateway: idle streams end with an error event, a
client that leaves cancels the upstream promptly, and no stream ends silently."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.routing.mock_fleet import UPSTREAM_MODEL, Mock, running_mocks
from tests.support.gateway_stack import running_gateway
from tests.support.leaving_client import leave_a_stream


@pytest.fixture(scope="module")
def slow_mock() -> Iterator[Mock]:
    with running_mocks(1, "--chunk-delay-ms", "100") as mocks:
        yield mocks[0]


@pytest.fixture(scope="module")
def usage_log(tmp_path_factory):
    return tmp_path_factory.mktemp("usage") / "usage.jsonl"


@pytest.fixture(scope="module")
def gateway(slow_mock, usage_log, tmp_path_factory) -> Iterator[str]:
    deployments = {
        "slow": {"provider": "openai", "model": UPSTREAM_MODEL, "base_url": f"{slow_mock.url}/v1"},
        "sleepy-demo": {"provider": "demo", "model": "demo", "chunk_delay_ms": 600},
    }
    config_dir = tmp_path_factory.mktemp("streams")
    settings = {
        "streaming": {"idle_timeout_s": 0.3},
        "telemetry": {"usage_log": "file", "usage_log_path": str(usage_log)},
    }
    with running_gateway(deployments, config_dir, settings=settings) as url:
        yield url


def _events(url: str, model: str) -> list[dict | str]:
    body = {"model": model, "messages": [{"role": "user", "content": "hello"}], "stream": True}
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=30) as answer:
        assert answer.status_code == 200
        lines = [line.removeprefix("data: ") for line in answer.iter_lines() if line]
    return [line if line == "[DONE]" else json.loads(line) for line in lines]


def test_an_idle_stream_is_ended_with_an_error_event(gateway):
    events = _events(gateway, "sleepy-demo")
    assert events[-1]["error"]["code"] == "stream_idle_timeout"
    assert "[DONE]" not in events


def test_a_client_that_leaves_cancels_the_upstream_promptly(gateway, slow_mock):
    slow_mock.reset()
    body = {
        "model": "slow",
        "messages": [{"role": "user", "content": "a long answer"}],
        "stream": True,
    }
    leave_a_stream(gateway, body, after_events=2)
    left_at = time.monotonic()
    while slow_mock.stats()["streams_cancelled"] < 1:
        assert time.monotonic() - left_at < 5.0, "the upstream stream was never cancelled"
        time.sleep(0.01)
    waited_ms = (time.monotonic() - left_at) * 1000
    print(f"\nupstream cancelled {waited_ms:.0f} ms after the client left")
    assert slow_mock.stats()["streams_completed"] == 0


def _usage_line(usage_log, request_id: str) -> dict:
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        for line in usage_log.read_text().splitlines() if usage_log.exists() else ():
            entry = json.loads(line)
            if entry["request_id"] == request_id:
                return entry
        time.sleep(0.05)
    raise AssertionError(f"no usage line for {request_id}")


def test_a_stream_cut_upstream_ends_with_an_error_event_and_a_usage_record(
    gateway, slow_mock, usage_log
):
    slow_mock.reset()
    slow_mock.faults(cut_after=3)
    body = {"model": "slow", "messages": [{"role": "user", "content": "hello"}], "stream": True}
    headers = {"x-request-id": "cut-stream-1"}
    with httpx.stream(
        "POST", f"{gateway}/v1/chat/completions", json=body, headers=headers, timeout=30
    ) as answer:
        lines = [line for line in answer.iter_lines() if line.startswith("data: ")]
    assert "error" in json.loads(lines[-1].removeprefix("data: "))
    entry = _usage_line(usage_log, "cut-stream-1")
    assert entry["outcome"] == "failed" and entry["status"] == 200
    assert entry["prompt_tokens"] > 0 and entry["completion_tokens"] > 0


def test_a_client_that_leaves_gets_a_cancelled_usage_record(gateway, slow_mock, usage_log):
    slow_mock.reset()
    body = {"model": "slow", "messages": [{"role": "user", "content": "more"}], "stream": True}
    leave_a_stream(gateway, body, after_events=3, headers={"x-request-id": "left-stream-1"})
    entry = _usage_line(usage_log, "left-stream-1")
    assert entry["outcome"] == "cancelled"
    assert entry["completion_tokens"] > 0
