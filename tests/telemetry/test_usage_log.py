"""The usage log's lines, field by field, and its queue: drops, draining, closing."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from pathlib import Path

import orjson
import pytest

from ferrogate.telemetry.record import RequestRecord
from ferrogate.telemetry.usage_log import UsageLog

pytestmark = pytest.mark.anyio

STARTED = 1_736_000_000.25  # 2025-01-04T14:13:20.25Z


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def plain_request() -> RequestRecord:
    return RequestRecord(
        request_id="req-plain",
        route="chat",
        started_unix=STARTED,
        key_id="k1",
        model="gpt-4o-mini",
        deployment="openai-east",
        provider="openai",
        upstream_model="gpt-4o-mini-2024-07-18",
        status=200,
        cache="miss",
        attempts=2,
        retries=1,
        prompt_tokens=12,
        completion_tokens=30,
        cost_usd=0.0000198,
        duration_s=0.4213,
        overhead_s=0.0004,
        stages_s={"parse": 0.00002, "auth": 0.00001, "provider": 0.42},
        prompt_text="Say hi",
        answer_text="Hi!",
    )


def streamed_request() -> RequestRecord:
    return dataclasses.replace(
        plain_request(),
        request_id="req-stream",
        stream=True,
        attempts=3,
        retries=0,
        fallbacks=1,
        hedged=True,
        ttft_s=0.1205,
        inter_token_s=[0.01, 0.02],
    )


def cached_request() -> RequestRecord:
    return dataclasses.replace(
        plain_request(),
        request_id="req-cached",
        deployment=None,
        provider=None,
        upstream_model=None,
        cache="hit-l2",
        cache_similarity=0.9731,
        attempts=0,
        retries=0,
        cost_usd=0.0,
        duration_s=0.0021,
        overhead_s=0.0021,
        stages_s={"cache": 0.002},
    )


def failed_request() -> RequestRecord:
    return RequestRecord(
        request_id="req-failed",
        route="chat",
        started_unix=STARTED,
        key_id="k2",
        model="gpt-4o-mini",
        status=429,
        outcome="failed",
        error_code="rate_limit_exceeded",
        rate_limited="tokens",
        duration_s=0.0003,
        overhead_s=0.0003,
        stages_s={"limits": 0.0002},
    )


def cancelled_request() -> RequestRecord:
    return dataclasses.replace(
        streamed_request(),
        request_id="req-cancelled",
        outcome="cancelled",
        completion_tokens=7,
        cost_usd=0.0000060,
        hedged=False,
        answer_text="Hi th",
    )


COMMON = {
    "ts": "2025-01-04T14:13:20.250000Z",
    "key_id": "k1",
    "model": "gpt-4o-mini",
    "deployment": "openai-east",
    "provider": "openai",
    "upstream_model": "gpt-4o-mini-2024-07-18",
    "stream": False,
    "status": 200,
    "outcome": "completed",
    "error_code": None,
    "cache": "miss",
    "cache_similarity": None,
    "attempts": 2,
    "retries": 1,
    "fallbacks": 0,
    "hedged": False,
    "prompt_tokens": 12,
    "completion_tokens": 30,
    "total_tokens": 42,
    "cost_usd": 0.0000198,
    "rate_limited": None,
    "duration_ms": 421.3,
    "overhead_ms": 0.4,
    "ttft_ms": None,
    "stages_ms": {"parse": 0.02, "auth": 0.01, "provider": 420.0},
}
STREAMED = COMMON | {
    "request_id": "req-stream",
    "stream": True,
    "attempts": 3,
    "retries": 0,
    "fallbacks": 1,
    "hedged": True,
    "ttft_ms": 120.5,
}
EXPECTED_LINES = {
    "plain": COMMON | {"request_id": "req-plain"},
    "streamed": STREAMED,
    "cached": COMMON
    | {
        "request_id": "req-cached",
        "deployment": None,
        "provider": None,
        "upstream_model": None,
        "cache": "hit-l2",
        "cache_similarity": 0.9731,
        "attempts": 0,
        "retries": 0,
        "cost_usd": 0.0,
        "duration_ms": 2.1,
        "overhead_ms": 2.1,
        "stages_ms": {"cache": 2.0},
    },
    "failed": COMMON
    | {
        "request_id": "req-failed",
        "key_id": "k2",
        "deployment": None,
        "provider": None,
        "upstream_model": None,
        "status": 429,
        "outcome": "failed",
        "error_code": "rate_limit_exceeded",
        "cache": None,
        "attempts": 0,
        "retries": 0,
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "total_tokens": 0,
        "cost_usd": 0.0,
        "rate_limited": "tokens",
        "duration_ms": 0.3,
        "overhead_ms": 0.3,
        "stages_ms": {"limits": 0.2},
    },
    "cancelled": STREAMED
    | {
        "request_id": "req-cancelled",
        "outcome": "cancelled",
        "hedged": False,
        "completion_tokens": 7,
        "total_tokens": 19,
        "cost_usd": 0.0000060,
    },
}
RECORDS = {
    "plain": plain_request,
    "streamed": streamed_request,
    "cached": cached_request,
    "failed": failed_request,
    "cancelled": cancelled_request,
}


def read_lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


@pytest.mark.parametrize("shape", list(RECORDS))
async def test_every_field_is_written_and_text_is_left_out_by_default(shape: str, tmp_path: Path):
    path = tmp_path / "usage.jsonl"
    usage_log = UsageLog("file", path=str(path))

    usage_log.write(RECORDS[shape]())
    await usage_log.aclose()

    assert read_lines(path) == [EXPECTED_LINES[shape]]


async def test_prompt_and_answer_text_are_written_only_when_asked(tmp_path: Path):
    path = tmp_path / "usage.jsonl"
    usage_log = UsageLog("file", path=str(path), include_text=True)

    usage_log.write(plain_request())
    usage_log.write(failed_request())
    await usage_log.aclose()

    plain, failed = read_lines(path)
    assert plain == EXPECTED_LINES["plain"] | {"prompt_text": "Say hi", "answer_text": "Hi!"}
    assert failed == EXPECTED_LINES["failed"] | {"prompt_text": None, "answer_text": None}


async def test_file_sink_appends_to_what_is_there(tmp_path: Path):
    path = tmp_path / "usage.jsonl"
    path.write_bytes(b'{"earlier":true}\n')
    usage_log = UsageLog("file", path=str(path))

    usage_log.write(plain_request())
    await usage_log.aclose()

    assert [line.get("request_id") for line in read_lines(path)] == [None, "req-plain"]


async def test_stdout_sink_writes_one_line_per_request(capfd: pytest.CaptureFixture[str]):
    usage_log = UsageLog("stdout")

    usage_log.write(plain_request())
    usage_log.write(cached_request())
    await usage_log.aclose()

    lines = [orjson.loads(line) for line in capfd.readouterr().out.splitlines()]
    assert lines == [EXPECTED_LINES["plain"], EXPECTED_LINES["cached"]]


async def test_a_full_queue_drops_new_lines_counts_them_and_warns_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    path = tmp_path / "usage.jsonl"
    usage_log = UsageLog("file", path=str(path), max_queue=3)

    # No await between the writes: the background task cannot run, the queue stays full.
    with caplog.at_level(logging.WARNING, logger="ferrogate.telemetry"):
        for number in range(10):
            usage_log.write(dataclasses.replace(plain_request(), request_id=f"req-{number}"))
    await usage_log.aclose()

    assert usage_log.dropped == 7
    assert [line["request_id"] for line in read_lines(path)] == ["req-0", "req-1", "req-2"]
    assert [r.getMessage() for r in caplog.records] == [
        "usage log queue full: 1 records dropped so far"
    ]


async def test_aclose_delivers_everything_queued_in_order(tmp_path: Path):
    path = tmp_path / "usage.jsonl"
    usage_log = UsageLog("file", path=str(path))

    for number in range(1000):
        usage_log.write(dataclasses.replace(plain_request(), request_id=f"req-{number}"))
    await usage_log.aclose()

    ids = [line["request_id"] for line in read_lines(path)]
    assert ids == [f"req-{number}" for number in range(1000)]
    assert usage_log.dropped == 0


async def test_writes_after_close_are_ignored(tmp_path: Path):
    path = tmp_path / "usage.jsonl"
    usage_log = UsageLog("file", path=str(path))
    usage_log.write(plain_request())
    await usage_log.aclose()

    usage_log.write(failed_request())
    await usage_log.aclose()

    assert [line["request_id"] for line in read_lines(path)] == ["req-plain"]


def test_lines_written_before_the_loop_runs_are_delivered_at_close(tmp_path: Path):
    path = tmp_path / "usage.jsonl"
    usage_log = UsageLog("file", path=str(path))

    usage_log.write(plain_request())  # no running loop here: queued, not started
    asyncio.run(usage_log.aclose())

    assert [line["request_id"] for line in read_lines(path)] == ["req-plain"]


def test_off_writes_nothing_and_never_fails():
    usage_log = UsageLog("off")

    usage_log.write(plain_request())

    assert not usage_log.enabled
    assert usage_log.dropped == 0


async def test_a_record_that_cannot_be_encoded_is_dropped_not_raised(tmp_path: Path):
    path = tmp_path / "usage.jsonl"
    usage_log = UsageLog("file", path=str(path))

    usage_log.write(dataclasses.replace(plain_request(), stages_s={"parse": object()}))
    usage_log.write(plain_request())
    await usage_log.aclose()

    assert usage_log.dropped == 1
    assert [line["request_id"] for line in read_lines(path)] == ["req-plain"]


@pytest.mark.parametrize(
    ("kind", "settings", "message"),
    [
        ("file", {}, "needs a path"),
        ("redis", {}, "needs a redis_url"),
        ("kafka", {}, "unknown usage log sink"),
    ],
)
def test_a_misconfigured_sink_fails_at_construction(kind: str, settings: dict, message: str):
    with pytest.raises(ValueError, match=message):
        UsageLog(kind, **settings)  # type: ignore[arg-type]
