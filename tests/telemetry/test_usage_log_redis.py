"""The usage log's Redis stream sink on a real Redis Stack, and while that Redis is down."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import anyio
import orjson
import pytest
import redis

from ferrogate.telemetry.record import RequestRecord
from ferrogate.telemetry.usage_log import UsageLog
from tests.infra.redis_stack import RedisStack

pytestmark = pytest.mark.anyio
RETRY_S = 0.1


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def server() -> Iterator[RedisStack]:
    """A Redis of this test's own, so stopping it disturbs no other test."""
    with RedisStack() as started:
        yield started


def record(number: int) -> RequestRecord:
    return RequestRecord(
        request_id=f"req-{number}",
        route="chat",
        started_unix=1_736_000_000.0,
        key_id="k1",
        model="gpt-4o-mini",
        status=200,
        prompt_tokens=3,
        completion_tokens=4,
        prompt_text="secret prompt",
    )


def stream_ids(client: redis.Redis, key: str = "ferrogate:usage") -> list[str]:
    return [orjson.loads(fields[b"json"])["request_id"] for _, fields in client.xrange(key)]


async def wait_until(condition, limit_s: float = 20.0) -> None:
    with anyio.fail_after(limit_s):
        while not condition():
            await anyio.sleep(0.02)


async def test_each_request_is_one_stream_entry_holding_its_line(
    redis_stack_url: str, redis_client: redis.Redis
):
    usage_log = UsageLog("redis", redis_url=redis_stack_url)

    for number in range(3):
        usage_log.write(record(number))
    await usage_log.aclose()

    entries = redis_client.xrange("ferrogate:usage")
    assert [list(fields) for _, fields in entries] == [[b"json"]] * 3
    first = orjson.loads(entries[0][1][b"json"])
    assert first["request_id"] == "req-0"
    assert first["total_tokens"] == 7
    assert "prompt_text" not in first


async def test_the_stream_key_is_configurable_and_its_length_bounded(
    redis_stack_url: str, redis_client: redis.Redis
):
    usage_log = UsageLog("redis", redis_url=redis_stack_url, stream_key="usage:t", stream_maxlen=10)

    for number in range(2000):
        usage_log.write(record(number))
    await usage_log.aclose()

    # MAXLEN ~ trims whole radix-tree nodes (100 entries by default), so a little over 10.
    assert 10 <= redis_client.xlen("usage:t") <= 200
    assert stream_ids(redis_client, "usage:t")[-1] == "req-1999"


async def test_while_redis_is_down_writes_return_drops_are_counted_and_the_rest_arrives_after(
    server: RedisStack, caplog: pytest.LogCaptureFixture
):
    port = server.port
    usage_log = UsageLog("redis", redis_url=server.url, max_queue=5, retry_s=RETRY_S)
    usage_log.write(record(0))
    with redis.Redis.from_url(server.url) as client:
        await wait_until(lambda: stream_ids(client) == ["req-0"])
    server.stop()

    with caplog.at_level(logging.WARNING, logger="ferrogate.telemetry"):
        usage_log.write(record(1))  # taken as a batch, then held while Redis is down
        await wait_until(lambda: usage_log.failures >= 2)
        for number in range(2, 12):
            usage_log.write(record(number))
        await wait_until(lambda: usage_log.failures >= 4)

    assert usage_log.dropped == 5  # req-1 is held, req-2..6 fill the queue, req-7..11 dropped
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings[0].startswith("usage log sink failed 1 times so far: redis: ")
    assert "usage log queue full: 1 records dropped so far" in warnings
    assert len(warnings) == 2  # at most one of each per 30 s

    server.start(port=port)
    with redis.Redis.from_url(server.url) as client:
        await wait_until(lambda: len(stream_ids(client)) == 6)
        await usage_log.aclose()
        assert stream_ids(client) == [f"req-{number}" for number in range(1, 7)]
    assert usage_log.dropped == 5


async def test_aclose_gives_up_after_its_timeout_while_redis_is_down(server: RedisStack):
    usage_log = UsageLog("redis", redis_url=server.url, retry_s=RETRY_S)
    server.stop()

    for number in range(3):
        usage_log.write(record(number))
    await usage_log.aclose(timeout_s=0.5)

    assert usage_log.dropped == 3
    assert usage_log.failures >= 1
