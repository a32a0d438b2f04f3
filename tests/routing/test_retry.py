from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from ferrogate.errors import (
    BudgetExceeded,
    InvalidRequest,
    RateLimited,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnreachable,
)
from ferrogate.routing.retry import RetryPolicy, retry_after_of

POLICY = RetryPolicy(max_retries=3, base_delay_s=0.5, max_delay_s=4.0, max_retry_after_s=20.0)


def upstream(status: int, retry_after: str | None = None) -> UpstreamError:
    error = UpstreamError("upstream said no", status=status, provider="openai")
    if retry_after is not None:
        error.headers.append(("retry-after", retry_after))
    return error


@pytest.mark.parametrize(("attempt", "ceiling"), [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0)])
def test_backoff_is_full_jitter_under_an_exponential_ceiling(attempt: int, ceiling: float):
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=4.0, rng=random.Random(attempt))

    delays = [policy.delay(attempt) for _ in range(2_000)]

    assert all(0.0 <= d <= ceiling for d in delays)
    assert min(delays) < ceiling * 0.05  # spread over the whole range, not bunched
    assert max(delays) > ceiling * 0.95


def test_a_retry_after_sets_the_least_wait_up_to_the_cap():
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=4.0, max_retry_after_s=20.0)

    assert all(policy.delay(1, retry_after_s=7.0) == 7.0 for _ in range(100))
    assert all(3.0 <= policy.delay(4, retry_after_s=3.0) <= 4.0 for _ in range(100))
    assert policy.delay(1, retry_after_s=120.0) == 20.0


@pytest.mark.parametrize(
    "error",
    [
        UpstreamUnreachable("connection refused"),
        UpstreamTimeout("no first token in time"),
        upstream(429),
        upstream(500),
        upstream(503, retry_after="2"),
        upstream(529),
    ],
    ids=["connection", "timeout", "429", "500", "503-short-retry-after", "529"],
)
def test_connection_errors_timeouts_429_and_5xx_are_retried(error: Exception):
    assert POLICY.should_retry(error)


@pytest.mark.parametrize(
    "error",
    [
        upstream(400),
        upstream(401),
        upstream(403),
        upstream(404),
        upstream(422),
        InvalidRequest("bad body"),
        RateLimited("the key's own limit", retry_after_s=1.0),
        BudgetExceeded("the key's budget is spent"),
        ValueError("a bug, not an upstream failure"),
    ],
    ids=["400", "401", "403", "404", "422", "invalid", "own-rate-limit", "budget", "bug"],
)
def test_other_4xx_and_the_gateways_own_refusals_are_never_retried(error: Exception):
    assert not POLICY.should_retry(error)


def test_a_retry_after_longer_than_the_cap_moves_on_instead_of_waiting():
    assert not POLICY.should_retry(upstream(429, retry_after="120"))
    assert POLICY.should_retry(upstream(429, retry_after="20"))


def test_retry_after_is_read_in_seconds_milliseconds_or_as_an_http_date():
    assert retry_after_of(upstream(429, retry_after="3")) == 3.0
    assert retry_after_of(upstream(429)) is None
    assert retry_after_of(upstream(429, retry_after="soon")) is None

    in_ms = upstream(429, retry_after="3")
    in_ms.headers.append(("retry-after-ms", "1500"))
    assert retry_after_of(in_ms) == 1.5

    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    assert retry_after_of(upstream(503, retry_after=later)) == pytest.approx(90, abs=30)
    past = format_datetime(datetime.now(UTC) - timedelta(seconds=90), usegmt=True)
    assert retry_after_of(upstream(503, retry_after=past)) == 0.0
