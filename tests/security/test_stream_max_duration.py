"""`streaming.max_duration_s`: a stream that keeps talking is still ended, with an error event.

Without it an upstream that never stops (or a slow one) holds a client connection and an
upstream call for as long as it likes; the idle timeout alone cannot catch it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from ferrogate.config import ConfigError, parse_config
from ferrogate.gateway.stream_guard import guarded
from ferrogate.providers.sse import DONE
from ferrogate.telemetry import RequestRecord
from tests.routing.mock_fleet import UPSTREAM_MODEL, Mock, running_mocks
from tests.support.gateway_stack import running_gateway

MAX_DURATION_S = 0.6
MODELS = "models: [{name: demo, deployments: [{provider: demo, model: demo}]}]\n"


@pytest.fixture(scope="module")
def endless_mock() -> Iterator[Mock]:
    # 40 chunks 100 ms apart: a 4 s stream that is never idle for long.
    with running_mocks(1, "--chunk-delay-ms", "100", "--stream-chunks", "40") as mocks:
        yield mocks[0]


@pytest.fixture(scope="module")
def usage_log(tmp_path_factory):
    return tmp_path_factory.mktemp("usage") / "usage.jsonl"


@pytest.fixture(scope="module")
def gateway(endless_mock, usage_log, tmp_path_factory) -> Iterator[str]:
    deployments = {
        "endless": {
            "provider": "openai",
            "model": UPSTREAM_MODEL,
            "base_url": f"{endless_mock.url}/v1",
        },
        "quick": {"provider": "demo", "model": "demo", "chunk_delay_ms": 0},
    }
    settings = {
        "streaming": {"idle_timeout_s": 5, "max_duration_s": MAX_DURATION_S},
        "telemetry": {"usage_log": "file", "usage_log_path": str(usage_log)},
    }
    with running_gateway(deployments, tmp_path_factory.mktemp("gw"), settings=settings) as url:
        yield url


def _stream(url: str, model: str, request_id: str) -> list[dict | str]:
    body = {"model": model, "messages": [{"role": "user", "content": "go on"}], "stream": True}
    headers = {"x-request-id": request_id}
    with httpx.stream(
        "POST", f"{url}/v1/chat/completions", json=body, headers=headers, timeout=30
    ) as answer:
        assert answer.status_code == 200
        lines = [line.removeprefix("data: ") for line in answer.iter_lines() if line]
    return [line if line == "[DONE]" else json.loads(line) for line in lines]


def _usage_line(usage_log, request_id: str) -> dict:
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        for line in usage_log.read_text().splitlines() if usage_log.exists() else ():
            entry = json.loads(line)
            if entry["request_id"] == request_id:
                return entry
        time.sleep(0.05)
    raise AssertionError(f"no usage line for {request_id}")


def test_a_stream_running_past_the_bound_ends_with_an_error_event(gateway, endless_mock, usage_log):
    endless_mock.reset()
    started = time.monotonic()
    events = _stream(gateway, "endless", "long-stream-1")
    took_s = time.monotonic() - started

    assert MAX_DURATION_S <= took_s < 2.5, "ended by the bound, not by the upstream's end"
    assert "[DONE]" not in events
    assert any("choices" in event for event in events[:-1]), "the start was passed on"
    error = events[-1]["error"]
    assert error["code"] == "stream_max_duration"
    assert f"{MAX_DURATION_S:g}s" in error["message"]
    entry = _usage_line(usage_log, "long-stream-1")
    assert (entry["outcome"], entry["error_code"]) == ("timed_out", "stream_max_duration")
    deadline = time.monotonic() + 5.0
    while endless_mock.stats()["streams_cancelled"] < 1:  # the upstream call was closed
        assert time.monotonic() < deadline, "the upstream stream was left running"
        time.sleep(0.02)
    assert endless_mock.stats()["streams_completed"] == 0


def test_a_stream_within_the_bound_ends_with_done(gateway):
    events = _stream(gateway, "quick", "short-stream-1")

    assert events[-1] == "[DONE]"
    assert not any(isinstance(event, dict) and "error" in event for event in events)


async def _chunks(count: int, gap_s: float) -> AsyncIterator[bytes]:
    for _ in range(count):
        await asyncio.sleep(gap_s)
        yield b'data: {"choices": []}\n\n'
    yield DONE


def _guarded_events(max_duration_s: float | None) -> list[bytes]:
    async def collect() -> list[bytes]:
        record = RequestRecord("req_1", "chat", time.time())
        stream = guarded(
            _chunks(6, 0.05), record, idle_timeout_s=1.0, max_duration_s=max_duration_s
        )
        return [chunk async for chunk in stream]

    return asyncio.run(collect())


@pytest.mark.parametrize("off", [0, None])
def test_zero_or_null_means_no_bound(off):
    assert _guarded_events(off)[-1] == DONE
    assert b"stream_max_duration" in _guarded_events(0.12)[-1]


def test_a_stream_of_chunks_that_never_wait_is_still_ended():
    async def collect() -> list[bytes]:
        async def flood() -> AsyncIterator[bytes]:
            while True:  # ready at once, every time: only the clock can end it
                await asyncio.sleep(0)
                yield b'data: {"choices": []}\n\n'

        record = RequestRecord("req_2", "chat", time.time())
        return [chunk async for chunk in guarded(flood(), record, 5.0, max_duration_s=0.1)]

    events = asyncio.run(asyncio.wait_for(collect(), 5.0))
    assert b"stream_max_duration" in events[-1]


def test_the_bound_is_on_by_default_and_checked_at_start():
    assert parse_config(MODELS, "c.yaml", {}).streaming.max_duration_s == 600
    for off in ("0", "null"):
        config = parse_config(MODELS + f"streaming: {{max_duration_s: {off}}}\n", "c.yaml", {})
        assert not config.streaming.max_duration_s
    with pytest.raises(ConfigError, match=r"c.yaml: streaming.max_duration_s: must not be"):
        parse_config(MODELS + "streaming: {max_duration_s: -1}\n", "c.yaml", {})
    with pytest.raises(ConfigError, match=r"streaming.max_duration_s"):
        parse_config(MODELS + "streaming: {max_duration_s: soon}\n", "c.yaml", {})
