"""Two instances' breakers on one Redis, on a fake clock; Redis's own expiries run on real
time, so each cooldown here is long enough not to expire during a test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import anyio
import pytest
import redis
from redis.asyncio import Redis

from ferrogate.routing.health import Breaker
from ferrogate.routing.redis_health import COOLDOWN_KEY, PROBE_RECHECK_S, RedisHealthBook
from ferrogate.shared_state.redis_client import connect
from tests.infra.redis_stack import free_loopback_port
from tests.routing.fake_clock import FakeClock

pytestmark = pytest.mark.anyio
COOLDOWN_S = 60.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def open_book(clock: FakeClock) -> AsyncIterator[Callable[..., RedisHealthBook]]:
    """Books as separate instances would have them, each with its own connection pool."""
    opened: list[tuple[RedisHealthBook, Redis]] = []

    def open_one(url: str, sync_every_s: float | None = None) -> RedisHealthBook:
        client = connect(url)
        book = RedisHealthBook(
            client,
            failures_to_trip=2,
            cooldown_s=COOLDOWN_S,
            sync_every_s=sync_every_s,
            clock=clock,
        )
        opened.append((book, client))
        return book

    yield open_one
    for book, client in opened:
        await book.aclose()
        await client.aclose()


@pytest.fixture
def books(redis_client: redis.Redis, redis_stack_url: str, open_book):
    return open_book(redis_stack_url), open_book(redis_stack_url)


async def fail(book: RedisHealthBook, times: int) -> None:
    for _ in range(times):
        permit = await book.acquire("d")
        assert permit is not None
        await permit.failed()


async def test_a_cooldown_started_by_one_instance_holds_on_the_other(books, redis_client):
    first, second = books
    second.handle("d")
    await fail(first, times=2)

    await second.sync()

    assert second.state("d") is Breaker.OPEN
    assert await second.acquire("d") is None
    remaining_ms = redis_client.pttl(COOLDOWN_KEY.format("d"))
    assert 0 < remaining_ms <= COOLDOWN_S * 1000  # Redis forgets the cooldown by itself


async def test_instances_probe_one_at_a_time_after_a_shared_cooldown(books, clock):
    first, second = books
    second.handle("d")
    await fail(first, times=2)
    await second.sync()
    clock.advance(COOLDOWN_S)

    probe = await first.acquire("d")
    assert probe is not None
    assert await second.acquire("d") is None  # the first instance is probing
    await probe.succeeded()

    assert first.state("d") is Breaker.CLOSED
    clock.advance(PROBE_RECHECK_S)  # the second instance asks again after this long
    second_probe = await second.acquire("d")
    assert second_probe is not None
    await second_probe.succeeded()
    assert second.state("d") is Breaker.CLOSED


async def test_a_failed_probe_starts_a_new_cooldown_on_every_instance(books, clock):
    first, second = books
    second.handle("d")
    await fail(first, times=2)
    clock.advance(COOLDOWN_S)

    await fail(first, times=1)  # the probe
    clock.advance(1.0)
    await second.sync()

    assert second.state("d") is Breaker.OPEN
    assert await second.acquire("d") is None
    assert await first.acquire("d") is None  # nor is the probe slot left taken


async def test_failures_are_counted_per_instance(books):
    first, second = books
    second.handle("d")
    await fail(first, times=1)
    await fail(second, times=1)

    await first.sync()
    await second.sync()

    assert first.state("d") is Breaker.CLOSED
    assert second.state("d") is Breaker.CLOSED


async def test_without_redis_the_breaker_works_locally(open_book, clock):
    book = open_book(f"redis://127.0.0.1:{free_loopback_port()}/0")  # nothing listens there

    await fail(book, times=2)
    await book.sync()
    assert book.state("d") is Breaker.OPEN

    clock.advance(COOLDOWN_S)
    probe = await book.acquire("d")
    assert probe is not None
    assert await book.acquire("d") is None
    await probe.succeeded()
    assert book.state("d") is Breaker.CLOSED


async def test_a_busy_instance_reads_shared_cooldowns_by_itself(
    redis_client: redis.Redis, redis_stack_url: str, open_book
):
    first = open_book(redis_stack_url)
    second = open_book(redis_stack_url, sync_every_s=0.05)
    permit = await second.acquire("d")  # serving: its background reads begin
    assert permit is not None
    await permit.succeeded()

    await fail(first, times=2)

    for _ in range(200):  # ten seconds at most, on a very slow machine
        if not second.available("d"):
            break
        await anyio.sleep(0.05)
    assert second.state("d") is Breaker.OPEN
