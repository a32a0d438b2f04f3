"""Two instances' latency trackers for one model on one Redis, sharing a fake wall clock."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

import anyio
import pytest
import redis
from redis.asyncio import Redis

from ferrogate.routing.candidates import Candidate, RequestInfo
from ferrogate.routing.redis_latency import KEY, RedisLatencyTracker
from ferrogate.routing.strategies import LeastLatency
from ferrogate.shared_state.redis_client import connect
from tests.infra.redis_stack import free_loopback_port
from tests.routing.fake_clock import FakeClock

pytestmark = pytest.mark.anyio
STALE_AFTER_S = 30.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(start=time.time())


@pytest.fixture
async def open_tracker(clock: FakeClock) -> AsyncIterator[Callable[..., RedisLatencyTracker]]:
    opened: list[tuple[RedisLatencyTracker, Redis]] = []

    def open_one(url: str, sync_every_s: float | None = None) -> RedisLatencyTracker:
        client = connect(url)
        tracker = RedisLatencyTracker(
            client,
            "gpt",
            alpha=0.5,
            stale_after_s=STALE_AFTER_S,
            sync_every_s=sync_every_s,
            clock=clock,
        )
        opened.append((tracker, client))
        return tracker

    yield open_one
    for tracker, client in opened:
        await tracker.aclose()
        await client.aclose()


@pytest.fixture
def trackers(redis_client: redis.Redis, redis_stack_url: str, open_tracker):
    return open_tracker(redis_stack_url), open_tracker(redis_stack_url)


async def test_an_instance_sees_the_estimates_another_instance_measured(trackers):
    first, second = trackers
    first.observe("fast", 0.1)
    first.observe("slow", 2.0)

    await first.sync()
    await second.sync()

    assert second.estimate("fast") == pytest.approx(0.1)
    assert second.estimate("slow") == pytest.approx(2.0)
    assert not second.claim_probe("slow")  # measured recently elsewhere: no probe needed here
    order = LeastLatency(second).order([Candidate("slow"), Candidate("fast")], RequestInfo())
    assert [c.deployment_id for c in order] == ["fast", "slow"]


async def test_a_recovery_found_by_one_instance_moves_the_others_traffic(trackers, clock):
    first, second = trackers
    for tracker in trackers:
        tracker.observe("a", 3.0)
        tracker.observe("b", 1.0)
        await tracker.sync()
    clock.advance(STALE_AFTER_S + 1)
    first.observe("a", 0.1)  # the first instance's probe finds a recovered
    first.observe("b", 1.0)

    await first.sync()
    await second.sync()

    order = LeastLatency(second).order([Candidate("a"), Candidate("b")], RequestInfo())
    assert order[0].deployment_id == "a"


async def test_an_estimate_is_the_mean_of_the_instances_fresh_values(trackers, clock):
    first, second = trackers
    first.observe("d", 1.0)
    await first.sync()
    second.observe("d", 3.0)
    await second.sync()

    assert second.estimate("d") == pytest.approx(2.0)

    clock.advance(STALE_AFTER_S + 1)  # the first instance's value is no longer fresh
    second.observe("d", 0.5)
    await second.sync()
    assert second.estimate("d") == pytest.approx(0.5)


async def test_estimates_expire_from_redis_by_themselves(trackers, redis_client):
    first, _ = trackers
    first.observe("d", 1.0)

    await first.sync()

    (field,) = redis_client.hkeys(KEY.format("gpt"))
    (remaining_ms,) = redis_client.hpttl(KEY.format("gpt"), field)
    assert 0 < remaining_ms <= STALE_AFTER_S * 1000


async def test_without_redis_estimates_stay_local(open_tracker):
    tracker = open_tracker(f"redis://127.0.0.1:{free_loopback_port()}/0")  # nothing listens
    tracker.observe("d", 1.0)

    await tracker.sync()

    assert tracker.estimate("d") == pytest.approx(1.0)


async def test_instances_share_estimates_by_themselves_while_serving(
    redis_client: redis.Redis, redis_stack_url: str, open_tracker
):
    first = open_tracker(redis_stack_url, sync_every_s=0.05)
    second = open_tracker(redis_stack_url, sync_every_s=0.05)
    assert second.estimate("d") is None  # routing a request: its background reads begin

    first.observe("d", 0.7)

    for _ in range(200):  # ten seconds at most, on a very slow machine
        if second.estimate("d") is not None:
            break
        await anyio.sleep(0.05)
    assert second.estimate("d") == pytest.approx(0.7)
