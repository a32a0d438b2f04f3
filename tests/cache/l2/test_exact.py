"""The exact tier's Redis half against a real Redis Stack: hits, TTL expiry, namespace flush."""

from __future__ import annotations

import time

import pytest

from ferrogate.cache.entry import CachedAnswer
from ferrogate.cache.l2 import ExactRedis, L2Unavailable, connect
from tests.cache.gateway_fixtures import poll
from tests.support.processes import free_port

pytestmark = pytest.mark.anyio
DAY = 86_400


def answer(text: str, ttl_s: float = DAY) -> CachedAnswer:
    return CachedAnswer(prompt=text, body=text.encode(), expires_at=time.time() + ttl_s)


@pytest.fixture
def exact(l2_client) -> ExactRedis:
    return ExactRedis(l2_client)


async def test_a_stored_answer_is_found_by_its_key_only(exact):
    stored = answer("hello")
    await exact.put("ns", "ns|aaa", stored, DAY)

    assert await exact.get("ns", "ns|aaa") == stored
    assert await exact.get("ns", "ns|bbb") is None
    assert await exact.get("other", "ns|aaa") is None


async def test_two_clients_share_answers(exact, redis_stack_url):
    await exact.put("ns", "ns|aaa", answer("shared"), DAY)
    other = connect(redis_stack_url)
    try:
        found = await ExactRedis(other).get("ns", "ns|aaa")
    finally:
        await other.aclose()

    assert found is not None and found.prompt == "shared"


async def test_an_entry_expires_after_its_ttl(exact, redis_client):
    await exact.put("ns", "ns|short", answer("short", ttl_s=1), 1)
    await exact.put("ns", "ns|long", answer("long"), DAY)

    assert await exact.get("ns", "ns|short") is not None
    # Redis drops the key itself: its EX is what expires it, not a check on read.
    keys_left = poll(lambda: len(redis_client.keys("ferrogate:cache:exact:*")), lambda n: n == 1)

    assert keys_left == 1
    assert await exact.get("ns", "ns|short") is None
    assert await exact.get("ns", "ns|long") is not None


async def test_an_answer_past_its_expiry_is_refused_even_if_its_key_lives(exact):
    # A key whose EXPIRE was lost (or a clock ahead of Redis's): expires_at still counts.
    await exact.put("ns", "ns|stale", answer("stale", ttl_s=-1), DAY)

    assert await exact.get("ns", "ns|stale") is None


@pytest.mark.parametrize("neighbour", ["a|b", "ab", "a*", "", "A"])
async def test_flush_removes_one_namespace_and_spares_look_alikes(exact, neighbour):
    for index in range(3):
        await exact.put("a", f"a|{index}", answer(f"a{index}"), DAY)
    await exact.put(neighbour, f"{neighbour}|0", answer("neighbour"), DAY)

    assert await exact.flush_namespace("a") == 3

    assert await exact.get("a", "a|0") is None
    assert await exact.get(neighbour, f"{neighbour}|0") is not None
    assert await exact.flush_namespace("a") == 0


async def test_flush_pages_through_more_keys_than_one_batch(exact, monkeypatch):
    from ferrogate.cache.l2 import exact as exact_module

    monkeypatch.setattr(exact_module, "FLUSH_BATCH", 7)
    for index in range(30):
        await exact.put("big", f"big|{index}", answer(str(index)), DAY)

    assert await exact.flush_namespace("big") == 30
    assert await exact.get("big", "big|29") is None


async def test_redis_down_is_l2_unavailable():
    client = connect(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        exact = ExactRedis(client)
        with pytest.raises(L2Unavailable):
            await exact.get("ns", "ns|a")
        with pytest.raises(L2Unavailable):
            await exact.put("ns", "ns|a", answer("a"), DAY)
        with pytest.raises(L2Unavailable):
            await exact.flush_namespace("ns")
    finally:
        await client.aclose()
