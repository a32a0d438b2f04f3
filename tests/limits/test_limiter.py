"""What every limiter does, in one process: LocalLimiter and RedisLimiter (with and without
leases) must answer alike."""

from __future__ import annotations

import math

import anyio
import pytest

from ferrogate.errors import RateLimited
from ferrogate.limits.admission import Limiter
from ferrogate.limits.policy import KeyLimits

pytestmark = pytest.mark.anyio


def header(headers: list[tuple[str, str]], name: str) -> str:
    values = [value for key, value in headers if key == name]
    assert len(values) == 1, f"{name}: {values}"
    return values[0]


async def admit_until_refused(limiter: Limiter, limits: KeyLimits, tokens: int) -> int:
    admitted = 0
    while admitted < 10_000:
        try:
            await limiter.admit(limits, tokens)
        except RateLimited:
            return admitted
        admitted += 1
    raise AssertionError("never refused")


async def test_admits_rpm_requests_then_refuses_like_openai(limiter: Limiter):
    limits = KeyLimits("k1", rpm=10, tpm=None)
    first = await limiter.admit(limits, 5)
    assert header(first.headers, "x-ratelimit-limit-requests") == "10"
    assert header(first.headers, "x-ratelimit-remaining-requests") == "9"
    assert header(first.headers, "x-ratelimit-reset-requests") == "6s"
    assert not any("tokens" in name for name, _ in first.headers)

    assert await admit_until_refused(limiter, limits, 5) == 9
    with pytest.raises(RateLimited) as refused:
        await limiter.admit(limits, 5)
    error = refused.value
    assert error.status == 429 and error.type == "requests"
    assert error.message.startswith(
        "Rate limit reached for requests per minute (RPM): Limit 10, Used 10, Requested 1. "
        "Please try again in "
    )
    assert 5.0 < error.retry_after_s <= 6.0
    assert header(error.headers, "retry-after") == "6"
    assert header(error.headers, "x-ratelimit-remaining-requests") == "0"
    assert header(error.headers, "x-ratelimit-reset-requests").endswith("s")


async def test_a_refused_request_passes_after_waiting_retry_after(limiter: Limiter):
    limits = KeyLimits("k-refill", rpm=600, tpm=None)  # one request back every 0.1 s
    assert await admit_until_refused(limiter, limits, 1) >= 600  # more: refilled meanwhile
    with pytest.raises(RateLimited) as refused:
        await limiter.admit(limits, 1)
    await anyio.sleep(refused.value.retry_after_s + 0.01)
    admitted = await limiter.admit(limits, 1)
    assert header(admitted.headers, "x-ratelimit-remaining-requests") == "0"


async def test_tokens_refusal_takes_no_request(limiter: Limiter):
    limits = KeyLimits("k-tok", rpm=5, tpm=1000)
    await limiter.admit(limits, 900)
    with pytest.raises(RateLimited) as refused:
        await limiter.admit(limits, 200)
    error = refused.value
    assert error.type == "tokens"
    assert "tokens per minute (TPM): Limit 1000, Used 900, Requested 200" in error.message
    assert header(error.headers, "x-ratelimit-remaining-requests") == "4"
    assert header(error.headers, "x-ratelimit-remaining-tokens") == "100"

    # The request refused for tokens was given back: four small ones still fit.
    assert await admit_until_refused(limiter, limits, 10) == 4
    assert (await limiter.usage(limits))["requests_remaining"] == 0


async def test_a_request_larger_than_tpm_can_never_pass(limiter: Limiter):
    limits = KeyLimits("k-big", rpm=5, tpm=1000)
    with pytest.raises(RateLimited) as refused:
        await limiter.admit(limits, 1001)
    error = refused.value
    assert error.type == "tokens" and math.isinf(error.retry_after_s)
    assert error.message == (
        "Request too large for tokens per minute (TPM): Limit 1000, Requested 1001. "
        "The input or output tokens must be reduced in order to run successfully."
    )
    assert not any(name == "retry-after" for name, _ in error.headers)
    assert await limiter.usage(limits) == {"requests_remaining": 5, "tokens_remaining": 1000}


async def test_settle_refunds_unused_tokens(limiter: Limiter):
    limits = KeyLimits("k-refund", rpm=None, tpm=1000)
    admission = await limiter.admit(limits, 800)
    assert header(admission.headers, "x-ratelimit-remaining-tokens") == "200"
    with pytest.raises(RateLimited):
        await limiter.admit(limits, 500)

    limiter.settle(admission, 100)
    assert (await limiter.usage(limits))["tokens_remaining"] == 900
    await limiter.admit(limits, 500)


async def test_settle_charges_tokens_beyond_the_reservation(limiter: Limiter):
    limits = KeyLimits("k-charge", rpm=None, tpm=1000)
    admission = await limiter.admit(limits, 100)
    limiter.settle(admission, 1500)  # the answer ran longer than reserved: into debt
    assert (await limiter.usage(limits))["tokens_remaining"] == 0
    with pytest.raises(RateLimited) as refused:
        await limiter.admit(limits, 1)
    assert refused.value.retry_after_s > 29  # 500 tokens of debt plus one, at 1000/min


async def test_settling_twice_moves_only_the_difference(limiter: Limiter):
    limits = KeyLimits("k-twice", rpm=None, tpm=1000)
    admission = await limiter.admit(limits, 500)
    limiter.settle(admission, 300)
    limiter.settle(admission, 300)
    assert (await limiter.usage(limits))["tokens_remaining"] == 700


async def test_an_unlimited_key_has_no_buckets_and_no_headers(limiter: Limiter):
    limits = KeyLimits("k-free", rpm=None, tpm=None)
    for _ in range(100):
        admission = await limiter.admit(limits, 1_000_000)
        assert admission.headers == []
        limiter.settle(admission, 5)
    assert await limiter.usage(limits) == {"requests_remaining": None, "tokens_remaining": None}


async def test_a_zero_limit_admits_nothing(limiter: Limiter):
    with pytest.raises(RateLimited) as refused:
        await limiter.admit(KeyLimits("k-zero", rpm=0, tpm=None), 1)
    assert math.isinf(refused.value.retry_after_s)


async def test_keys_have_separate_buckets(limiter: Limiter):
    assert await admit_until_refused(limiter, KeyLimits("k-a", rpm=3, tpm=None), 1) == 3
    assert await admit_until_refused(limiter, KeyLimits("k-b", rpm=3, tpm=None), 1) == 3
