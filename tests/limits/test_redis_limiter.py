"""What only the Redis limiter does: instances share buckets, leases are taken up front and
given back, settlements reach every instance."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable

import anyio
import pytest
import redis

from ferrogate.errors import RateLimited
from ferrogate.limits.open_limiter import connect
from ferrogate.limits.policy import KeyLimits
from ferrogate.limits.redis_limiter import RedisLimiter

pytestmark = pytest.mark.anyio
WAIT_S = 5.0


@pytest.fixture
async def make_limiter(
    redis_client: redis.Redis, redis_stack_url: str
) -> AsyncIterator[Callable[..., RedisLimiter]]:
    made: list[RedisLimiter] = []

    def make(**options: object) -> RedisLimiter:
        made.append(RedisLimiter(connect(redis_stack_url), **options))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for limiter in made:
        await limiter.aclose()


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not await check():
        assert time.monotonic() < deadline, "condition not reached"
        await anyio.sleep(0.05)


async def test_instances_share_one_bucket_per_key(make_limiter):
    first, second = make_limiter(), make_limiter()
    limits = KeyLimits("shared", rpm=4, tpm=None)
    await first.admit(limits, 1)
    await second.admit(limits, 1)
    await first.admit(limits, 1)
    admission = await second.admit(limits, 1)
    assert ("x-ratelimit-remaining-requests", "0") in admission.headers
    for limiter in (first, second):
        with pytest.raises(RateLimited):
            await limiter.admit(limits, 1)


async def test_buckets_live_under_hash_tagged_keys_that_expire_when_full(
    make_limiter, redis_client: redis.Redis
):
    limiter = make_limiter(lease_fraction=0)
    await limiter.admit(KeyLimits("tagged", rpm=60, tpm=6000), 600)
    assert sorted(redis_client.keys()) == [
        b"ferrogate:rl:{tagged}:req",
        b"ferrogate:rl:{tagged}:tok",
    ]
    assert 0 < redis_client.pttl("ferrogate:rl:{tagged}:req") <= 1002  # one request: 1 s
    assert 5000 < redis_client.pttl("ferrogate:rl:{tagged}:tok") <= 6002  # 600 tokens: 6 s


async def test_a_lease_is_taken_from_redis_up_front_and_given_back_on_close(make_limiter):
    leasing = make_limiter(lease_fraction=0.05, plenty_leases=2)  # leases of 30 requests
    observer = make_limiter(lease_fraction=0)
    limits = KeyLimits("leased", rpm=600, tpm=None)
    await leasing.admit(limits, 1)
    seen = (await observer.usage(limits))["requests_remaining"]
    assert 569 <= seen < 575  # 1 admitted + 30 leased, and a little refill

    for _ in range(30):  # spent from the lease, without Redis
        await leasing.admit(limits, 1)
    assert (await observer.usage(limits))["requests_remaining"] < 580

    await leasing.admit(limits, 1)  # a new lease
    await leasing.aclose()  # gives the unspent lease back
    assert (await observer.usage(limits))["requests_remaining"] >= 568


async def test_an_unspent_lease_goes_back_to_redis_when_it_expires(make_limiter):
    leasing = make_limiter(lease_fraction=0.05, plenty_leases=2, lease_ttl_s=0.2)
    observer = make_limiter(lease_fraction=0)
    limits = KeyLimits("expiring", rpm=600, tpm=None)
    await leasing.admit(limits, 1)

    async def returned() -> bool:  # without the return: at most 569 + refill
        return (await observer.usage(limits))["requests_remaining"] >= 599

    await eventually(returned)


async def test_a_settlement_reaches_other_instances(make_limiter):
    settling, observer = make_limiter(), make_limiter(lease_fraction=0)
    limits = KeyLimits("settled", rpm=None, tpm=1000)
    admission = await settling.admit(limits, 800)
    settling.settle(admission, 100)

    async def refunded() -> bool:
        return (await observer.usage(limits))["tokens_remaining"] >= 900

    await eventually(refunded)


async def test_admission_survives_a_script_cache_flush(make_limiter, redis_client: redis.Redis):
    limiter = make_limiter()
    limits = KeyLimits("noscript", rpm=10, tpm=None)
    await limiter.admit(limits, 1)
    redis_client.script_flush()
    admission = await limiter.admit(limits, 1)
    assert ("x-ratelimit-remaining-requests", "8") in admission.headers


async def test_refusal_names_the_bucket_with_the_longer_wait(make_limiter):
    limiter = make_limiter(lease_fraction=0)
    limits = KeyLimits("both", rpm=1, tpm=100)
    await limiter.admit(limits, 100)  # both empty: one request back in 60 s, 50 tokens in 30 s
    with pytest.raises(RateLimited) as refused:
        await limiter.admit(limits, 50)
    assert refused.value.type == "requests" and refused.value.retry_after_s > 59
