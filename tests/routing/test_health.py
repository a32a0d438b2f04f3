"""The breaker of one deployment on a fake clock: cooldown, half-open probe, recovery."""

from __future__ import annotations

import pytest

from ferrogate.routing.health import Breaker, HealthBook
from tests.routing.fake_clock import FakeClock

pytestmark = pytest.mark.anyio
COOLDOWN_S = 30.0
PROBE_TIMEOUT_S = 60.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def book(clock: FakeClock) -> HealthBook:
    return HealthBook(
        failures_to_trip=3, cooldown_s=COOLDOWN_S, probe_timeout_s=PROBE_TIMEOUT_S, clock=clock
    )


async def fail(book: HealthBook, deployment_id: str = "d", times: int = 1) -> None:
    for _ in range(times):
        permit = await book.acquire(deployment_id)
        assert permit is not None
        await permit.failed()


async def test_consecutive_failures_open_the_breaker_for_the_cooldown(book, clock):
    await fail(book, times=2)
    assert book.state("d") is Breaker.CLOSED

    await fail(book)

    assert book.state("d") is Breaker.OPEN
    assert not book.available("d")
    assert await book.acquire("d") is None
    clock.advance(COOLDOWN_S - 0.1)
    assert await book.acquire("d") is None


async def test_a_success_resets_the_count_of_failures(book):
    await fail(book, times=2)
    permit = await book.acquire("d")
    assert permit is not None
    await permit.succeeded()

    await fail(book, times=2)

    assert book.state("d") is Breaker.CLOSED


async def test_after_the_cooldown_one_probe_is_let_through_and_its_success_closes(book, clock):
    await fail(book, times=3)
    clock.advance(COOLDOWN_S)
    assert book.state("d") is Breaker.HALF_OPEN
    assert book.available("d")

    probe = await book.acquire("d")
    assert probe is not None
    assert not book.available("d")
    assert await book.acquire("d") is None  # the probe is in flight
    await probe.succeeded()

    assert book.state("d") is Breaker.CLOSED
    assert [await book.acquire("d") is not None for _ in range(5)] == [True] * 5


async def test_a_failed_probe_opens_the_breaker_for_another_cooldown(book, clock):
    await fail(book, times=3)
    clock.advance(COOLDOWN_S)

    await fail(book)  # the probe

    assert book.state("d") is Breaker.OPEN
    clock.advance(COOLDOWN_S - 0.1)
    assert await book.acquire("d") is None
    clock.advance(0.1)
    assert await book.acquire("d") is not None


async def test_a_released_probe_lets_the_next_request_probe(book, clock):
    await fail(book, times=3)
    clock.advance(COOLDOWN_S)
    probe = await book.acquire("d")
    assert probe is not None

    await probe.release()  # e.g. a hedge that lost and was cancelled

    assert book.state("d") is Breaker.HALF_OPEN
    assert await book.acquire("d") is not None


async def test_a_probe_that_never_reports_frees_its_slot_after_the_probe_timeout(book, clock):
    await fail(book, times=3)
    clock.advance(COOLDOWN_S)
    assert await book.acquire("d") is not None

    clock.advance(PROBE_TIMEOUT_S - 0.1)
    assert await book.acquire("d") is None
    clock.advance(0.1)
    assert await book.acquire("d") is not None


async def test_verdicts_of_attempts_let_through_before_the_trip_do_not_move_the_breaker(
    book, clock
):
    early = [await book.acquire("d") for _ in range(5)]
    for permit in early[:3]:
        await permit.failed()
    assert book.state("d") is Breaker.OPEN

    await early[3].succeeded()  # answered late: says nothing about the deployment now
    await early[4].failed()  # nor does this extend the cooldown

    assert book.state("d") is Breaker.OPEN
    clock.advance(COOLDOWN_S)
    assert book.state("d") is Breaker.HALF_OPEN


async def test_deployments_have_separate_breakers(book):
    await fail(book, "bad", times=3)

    assert book.state("bad") is Breaker.OPEN
    assert book.handle("good").available()
    assert await book.handle("good").acquire() is not None
