"""The cache's tiers together on a real Redis Stack: the shared exact tier and namespace flush.

The embedder here is a stand-in that maps each text to a fixed unit vector (the same text,
the same vector), so an L1 or L2 hit needs the same user turn in a different request.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import numpy as np
import orjson
import pytest

from ferrogate.cache.controls import CacheControls
from ferrogate.cache.l2 import connect
from ferrogate.cache.scope import CacheScope, scope_of
from ferrogate.cache.service import Lookup, ResponseCache
from ferrogate.config import CacheConfig
from tests.support.processes import free_port

pytestmark = pytest.mark.anyio
DIM = 8
CONTROLS = CacheControls(read=True, write=True, namespace="", ttl_s=3600, threshold=0.9)
FILL_WAIT_S = 5.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class TextHashEmbedder:
    name = "text-hash-test"

    def __init__(self, dim: int = DIM, fail: bool = False) -> None:
        self.dim = dim
        self.fail = fail
        self.calls = 0

    async def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.fail:
            raise ConnectionError("embeddings upstream down")
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            row = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            rows.append(row / np.linalg.norm(row))
        return np.array(rows, dtype=np.float32)


def scope(prompt: str, namespace: str, *, as_parts: bool = False) -> CacheScope:
    content = [{"type": "text", "text": prompt}] if as_parts else prompt
    body = {"model": "m", "messages": [{"role": "user", "content": content}]}
    found = scope_of(body, orjson.dumps(body), namespace)
    assert found is not None
    return found


async def lookup(cache: ResponseCache, where: CacheScope) -> Lookup:
    return await cache.lookup(where, CONTROLS)


async def remember(cache: ResponseCache, where: CacheScope) -> None:
    """Cache an answer for `where` and wait until the exact tier serves it."""
    found = await lookup(cache, where)
    cache.remember(where, CONTROLS, found.vector, f"answer to {where.user_turn}".encode())
    outcome = await until(lambda: lookup(cache, where), lambda hit: hit.outcome == "hit-exact")
    assert outcome.outcome == "hit-exact"


async def until(attempt: Callable[[], Awaitable], done: Callable, limit_s: float = FILL_WAIT_S):
    deadline = time.monotonic() + limit_s
    result = await attempt()
    while not done(result) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        result = await attempt()
    return result


@pytest.fixture
async def caches(redis_client, redis_stack_url) -> AsyncIterator[list[ResponseCache]]:
    """Two caches sharing one Redis, as in two gateway processes."""
    made = [
        ResponseCache(CacheConfig(enabled=True), TextHashEmbedder(), connect(redis_stack_url))
        for _ in range(2)
    ]
    yield made
    for cache in made:
        await cache.aclose()


async def test_an_exact_answer_cached_by_one_process_is_an_exact_hit_on_another(caches):
    first, second = caches
    question = scope("What is the refund policy?", "ns")
    await remember(first, question)

    found = await until(lambda: lookup(second, question), lambda hit: hit.outcome != "miss")

    assert found.outcome == "hit-exact"
    assert found.answer.body == b"answer to What is the refund policy?"


async def test_a_redis_exact_hit_fills_the_process_exact_tier(caches, redis_client):
    first, second = caches
    question = scope("What is the refund policy?", "ns")
    await remember(first, question)
    await until(lambda: lookup(second, question), lambda hit: hit.outcome == "hit-exact")

    redis_client.flushall()  # Redis forgets; the second process still has it

    assert (await lookup(second, question)).outcome == "hit-exact"


async def test_the_same_turn_in_another_request_shape_is_a_semantic_hit(caches):
    first, second = caches
    await remember(first, scope("Where is my parcel?", "ns"))
    as_parts = scope("Where is my parcel?", "ns", as_parts=True)

    assert (await lookup(first, as_parts)).outcome == "hit-l1"
    found = await until(lambda: lookup(second, as_parts), lambda hit: hit.outcome != "miss")
    assert found.outcome == "hit-l2"


async def test_flush_removes_a_namespace_from_every_tier_and_counts_it(caches):
    first, second = caches
    for prompt in ("one", "two"):
        await remember(first, scope(prompt, "a"))
    await remember(first, scope("one", "a|b"))

    counts = await first.flush_namespace("a")

    assert counts == {"exact": 2, "l1": 2, "exact_redis": 2, "l2": 2}
    for cache in caches:
        assert (await lookup(cache, scope("one", "a"))).outcome == "miss"
        assert (await lookup(cache, scope("one", "a", as_parts=True))).outcome == "miss"
    assert (await lookup(first, scope("one", "a|b"))).outcome == "hit-exact"
    assert (await lookup(second, scope("one", "a|b"))).outcome == "hit-exact"


async def test_flush_from_a_process_that_has_embedded_nothing_yet_still_reaches_l2(caches):
    first, second = caches
    await remember(first, scope("one", "a"))

    counts = await second.flush_namespace("a")

    assert counts == {"exact": 0, "l1": 0, "exact_redis": 1, "l2": 1}
    assert (await lookup(second, scope("one", "a", as_parts=True))).outcome == "miss"


async def test_flush_while_redis_is_down_flushes_this_process_and_says_what_it_could_not():
    dead = connect(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    cache = ResponseCache(CacheConfig(enabled=True), TextHashEmbedder(), dead)
    try:
        await remember(cache, scope("one", "a"))

        counts = await cache.flush_namespace("a")

        assert counts == {"exact": 1, "l1": 1, "exact_redis": None, "l2": None}
        assert (await lookup(cache, scope("one", "a"))).outcome == "miss"
        assert cache.redis_failures > 0
    finally:
        await cache.aclose()


async def test_a_failing_embedder_leaves_requests_uncached_but_answered(redis_stack_url):
    embedder = TextHashEmbedder(fail=True)
    cache = ResponseCache(CacheConfig(enabled=True), embedder, connect(redis_stack_url))
    try:
        question = scope("anything", "ns")
        found = await lookup(cache, question)
        cache.remember(question, CONTROLS, found.vector, b"answer")
        # The exact tiers need no embedding: the answer is still cached there.
        repeat = await until(lambda: lookup(cache, question), lambda hit: hit.outcome != "miss")

        assert found.outcome == "miss"
        assert repeat.outcome == "hit-exact"
        assert cache.embed_failures >= 2
    finally:
        await cache.aclose()
