"""L2 against a real Redis Stack: hits, misses, scope isolation, sharing, flushing."""

from __future__ import annotations

import time

import pytest
import redis
import redis.asyncio

from ferrogate.cache.entry import CachedAnswer
from ferrogate.cache.l2 import L2IndexMismatch, L2Store, connect
from ferrogate.cache.l2 import store as store_module
from tests.cache.l2.conftest import DIM, blend, unit

pytestmark = pytest.mark.anyio
DAY = 86_400
NAMESPACES = ["a-b", "x:y", "{}", "a b", "a|b", "a,b", "a", "Acme", "acme", " x", "x", "é☃", ""]


def answer(text: str, ttl_s: float = DAY) -> CachedAnswer:
    body = b'{"choices":[{"message":{"content":"' + text.encode() + b'"}}]}'
    return CachedAnswer(prompt=text, body=body, expires_at=time.time() + ttl_s)


async def test_stored_answer_is_found_by_the_same_and_by_a_nearby_vector(l2):
    stored = answer("What is 2+2?")
    await l2.store("ns|ctx", "ns", unit(1), stored, DAY)

    same = await l2.lookup("ns|ctx", unit(1), threshold=0.99)
    near = await l2.lookup("ns|ctx", blend(unit(1), unit(2), 0.2), threshold=0.8)

    assert same.answer == stored
    assert same.similarity == pytest.approx(1.0, abs=1e-5)
    assert near.answer == stored
    assert 0.8 <= near.similarity < 0.999


async def test_a_match_below_the_threshold_is_a_miss(l2):
    await l2.store("ns|ctx", "ns", unit(1), answer("q"), DAY)
    query = blend(unit(1), unit(2), 0.5)

    hit = await l2.lookup("ns|ctx", query, threshold=0.0)
    assert hit is not None
    assert await l2.lookup("ns|ctx", query, threshold=hit.similarity + 0.01) is None


async def test_the_nearest_of_several_answers_is_served(l2):
    for seed in range(1, 6):
        await l2.store("ns|ctx", "ns", unit(seed), answer(f"q{seed}"), DAY)

    hit = await l2.lookup("ns|ctx", blend(unit(3), unit(9), 0.1), threshold=0.5)

    assert hit.answer.prompt == "q3"


async def test_each_namespace_sees_only_its_own_answers_whatever_its_characters(l2):
    # Case, commas, surrounding spaces and non-ASCII all break plain TAG escaping.
    for namespace in NAMESPACES:
        await l2.store(f"{namespace}|ctx", namespace, unit(1), answer(namespace), DAY)

    for namespace in NAMESPACES:
        hit = await l2.lookup(f"{namespace}|ctx", unit(1), threshold=0.99)
        assert hit.answer.prompt == namespace
    assert await l2.lookup("other|ctx", unit(1), threshold=0.0) is None


async def test_same_namespace_different_context_is_a_miss(l2):
    await l2.store("ns|ctx-a", "ns", unit(1), answer("q"), DAY)

    assert await l2.lookup("ns|ctx-b", unit(1), threshold=0.0) is None


async def test_expired_entry_is_missed_and_leaves_the_index(l2, redis_client):
    await l2.store("ns|ctx", "ns", unit(1), answer("q", ttl_s=1), ttl_s=1)
    assert await l2.lookup("ns|ctx", unit(1), threshold=0.99) is not None

    deadline = time.monotonic() + 3
    while _indexed(redis_client, l2) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert _indexed(redis_client, l2) == 0
    assert await l2.lookup("ns|ctx", unit(1), threshold=0.0) is None


async def test_two_gateway_processes_share_entries(redis_client, redis_stack_url):
    first, second = connect(redis_stack_url), connect(redis_stack_url)
    try:
        writer, reader = L2Store(first, DIM), L2Store(second, DIM)
        await writer.store("ns|ctx", "ns", unit(1), answer("shared"), DAY)

        hit = await reader.lookup("ns|ctx", unit(1), threshold=0.99)
    finally:
        await first.aclose()
        await second.aclose()

    assert hit.answer.prompt == "shared"


async def test_flush_namespace_deletes_that_namespace_only(l2, redis_client, monkeypatch):
    monkeypatch.setattr(store_module, "FLUSH_BATCH", 3)  # several pages
    for seed in range(7):
        await l2.store("gone|ctx", "gone", unit(seed), answer(f"q{seed}"), DAY)
        await l2.store("kept|ctx", "kept", unit(seed), answer(f"q{seed}"), DAY)

    assert await l2.flush_namespace("gone") == 7

    assert await l2.lookup("gone|ctx", unit(1), threshold=0.0) is None
    assert (await l2.lookup("kept|ctx", unit(1), threshold=0.99)).answer.prompt == "q1"
    assert _indexed(redis_client, l2) == 7
    assert await l2.flush_namespace("nobody") == 0


async def test_storing_the_same_question_twice_keeps_one_entry(l2, redis_client):
    await l2.store("ns|ctx", "ns", unit(1), answer("q"), DAY)
    await l2.store("ns|ctx", "ns", unit(1), answer("q"), DAY)

    assert _indexed(redis_client, l2) == 1


async def test_ensure_index_accepts_its_own_index_and_rejects_another_dimension(l2_client):
    await L2Store(l2_client, DIM).ensure_index()
    await L2Store(l2_client, DIM).ensure_index()

    with pytest.raises(L2IndexMismatch, match="dimension 8"):
        await L2Store(l2_client, DIM * 2).ensure_index()


async def test_index_dropped_between_calls_is_rebuilt(l2, redis_client):
    await l2.store("ns|ctx", "ns", unit(1), answer("q"), DAY)
    redis_client.execute_command("FT.DROPINDEX", l2.index_name)

    # FT.CREATE indexes the hashes already under the prefix (in the background).
    deadline = time.monotonic() + 3
    hit = await l2.lookup("ns|ctx", unit(1), threshold=0.99)
    while hit is None and time.monotonic() < deadline:
        time.sleep(0.05)
        hit = await l2.lookup("ns|ctx", unit(1), threshold=0.99)
    assert hit.answer.prompt == "q"


async def test_a_resp2_client_reads_the_same_replies(l2, redis_stack_url):
    await l2.store("ns|ctx", "ns", unit(1), answer("q"), DAY)
    resp2 = redis.asyncio.Redis.from_url(redis_stack_url, protocol=2)
    try:
        store = L2Store(resp2, DIM)
        await store.ensure_index()
        hit = await store.lookup("ns|ctx", unit(1), threshold=0.99)
        flushed = await store.flush_namespace("ns")
    finally:
        await resp2.aclose()

    assert hit.answer.prompt == "q"
    assert flushed == 1


async def test_a_vector_of_the_wrong_size_is_refused(l2):
    with pytest.raises(ValueError, match="shape"):
        await l2.lookup("ns|ctx", unit(1)[:4], threshold=0.9)


def _indexed(client: redis.Redis, store: L2Store) -> int:
    """How many documents the index itself still returns."""
    reply = client.execute_command("FT.SEARCH", store.index_name, "*", "NOCONTENT", "LIMIT", 0, 0)
    return reply[b"total_results"]  # redis-py 8 speaks RESP3 by default
