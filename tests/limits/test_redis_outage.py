"""Redis stopped mid-test under both policies, and started again on the same port.

Each test runs its own Redis Stack, so stopping it disturbs no other test.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import anyio
import pytest
import redis

from ferrogate.errors import RateLimited, ServiceUnavailable
from ferrogate.limits.open_limiter import connect
from ferrogate.limits.policy import KeyLimits
from ferrogate.limits.redis_limiter import RedisLimiter
from tests.infra import redis_stack
from tests.infra.redis_stack import RedisStack

pytestmark = pytest.mark.anyio
BACK_OFF_S = 0.2
LIMITS = KeyLimits("outage", rpm=3, tpm=None)


@pytest.fixture
def server() -> Iterator[RedisStack]:
    with RedisStack() as started:
        yield started


def restart_on_same_port(server: RedisStack, monkeypatch: pytest.MonkeyPatch) -> None:
    port = server.port
    monkeypatch.setattr(redis_stack, "free_loopback_port", lambda: port)
    server.start()


def bucket_keys_in(server: RedisStack) -> list[bytes]:
    with redis.Redis.from_url(server.url) as client:
        return client.keys("ferrogate:rl:*")


async def wait_past_back_off() -> None:
    await anyio.sleep(BACK_OFF_S + 0.05)


async def test_fail_open_keeps_admitting_under_local_limits_and_recovers(
    server: RedisStack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    limiter = RedisLimiter(connect(server.url), policy="fail-open", back_off_s=BACK_OFF_S)
    try:
        await limiter.admit(LIMITS, 1)
        server.stop()

        with caplog.at_level(logging.WARNING, logger="ferrogate.limits"):
            for _ in range(3):  # the local buckets start full
                await limiter.admit(LIMITS, 1)
            with pytest.raises(RateLimited):
                await limiter.admit(LIMITS, 1)
            await wait_past_back_off()
            with pytest.raises(RateLimited):  # tries Redis again, still down: local again
                await limiter.admit(LIMITS, 1)
        warnings = [r for r in caplog.records if r.name == "ferrogate.limits"]
        assert len(warnings) == 1 and "local limits only" in warnings[0].getMessage()
        assert (await limiter.usage(LIMITS))["requests_remaining"] == 0

        restart_on_same_port(server, monkeypatch)
        await wait_past_back_off()
        admission = await limiter.admit(LIMITS, 1)  # the new server's bucket is full
        assert ("x-ratelimit-remaining-requests", "2") in admission.headers
        assert bucket_keys_in(server) == [b"ferrogate:rl:{outage}:req"]
    finally:
        await limiter.aclose()


async def test_fail_closed_answers_503_while_redis_is_down_and_recovers(
    server: RedisStack, monkeypatch: pytest.MonkeyPatch
):
    limiter = RedisLimiter(connect(server.url), policy="fail-closed", back_off_s=BACK_OFF_S)
    try:
        await limiter.admit(LIMITS, 1)
        server.stop()
        for _ in range(2):  # the first call finds Redis down, the second skips it
            with pytest.raises(ServiceUnavailable) as unavailable:
                await limiter.admit(LIMITS, 1)
            assert unavailable.value.status == 503
            assert unavailable.value.message.startswith("Rate limiting is unavailable: ")
        with pytest.raises(ServiceUnavailable):
            await limiter.usage(LIMITS)

        restart_on_same_port(server, monkeypatch)
        await wait_past_back_off()
        await limiter.admit(LIMITS, 1)
        assert (await limiter.usage(LIMITS))["requests_remaining"] == 2
    finally:
        await limiter.aclose()


async def test_settlements_made_while_redis_is_down_reach_it_when_it_is_back(
    server: RedisStack, monkeypatch: pytest.MonkeyPatch
):
    limits = KeyLimits("late-settle", rpm=None, tpm=1000)
    limiter = RedisLimiter(connect(server.url), back_off_s=BACK_OFF_S, lease_ttl_s=0.1)
    try:
        admission = await limiter.admit(limits, 300)
        server.stop()
        limiter.settle(admission, 900)  # a charge of 600, held while Redis is down
        await anyio.sleep(0.3)  # a sweep or two fail meanwhile
        restart_on_same_port(server, monkeypatch)

        deadline = time.monotonic() + 5.0
        while (await limiter.usage(limits))["tokens_remaining"] > 500:
            assert time.monotonic() < deadline, "the charge never reached Redis"
            await anyio.sleep(0.05)
    finally:
        await limiter.aclose()
