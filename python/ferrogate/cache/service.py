"""The cache tiers in order: exact (this process, then Redis), L1 (this process), L2 (Redis,
shared), with the hit guard.

Lookups run on the request path; fills run after the answer, from a bounded queue that
drops (and counts) rather than blocks when writes fall behind.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from redis.asyncio import Redis

from ferrogate.config import CacheConfig

from .controls import CacheControls
from .embedders import Embedder
from .entry import CachedAnswer
from .guard import HitGuard
from .interval_log import IntervalWarning
from .l1 import L1Index
from .l2 import ExactRedis, L2Store, L2Unavailable, index_names
from .scope import CacheScope

log = logging.getLogger("ferrogate.cache")
# Embedded only when a flush must learn the embedder's width before any request has.
_WIDTH_PROBE = "ferrogate cache width probe"


@dataclass(frozen=True, slots=True)
class Lookup:
    outcome: str  # hit-exact | hit-l1 | hit-l2 | miss
    answer: CachedAnswer | None = None
    similarity: float | None = None
    vector: np.ndarray | None = None  # the user turn's embedding, reused by the fill


@dataclass(frozen=True, slots=True)
class _Fill:
    scope_key: str
    scope: CacheScope | None  # None: an L1 fill from an L2 hit, the other tiers have it
    vector: np.ndarray | None
    answer: CachedAnswer
    ttl_s: int
    queued_at: float  # monotonic; a namespace flushed after this drops the fill


class ResponseCache:
    def __init__(self, config: CacheConfig, embedder: Embedder, redis: Redis | None):
        """``redis`` (owned: closed by ``aclose``) holds the exact tier's shared half and L2."""
        self._config = config
        self._embedder = embedder
        self._redis = redis
        self._exact: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._exact_redis = ExactRedis(redis) if redis is not None else None
        # Made at the first embedding: a provider's embedder learns its width from its first
        # answer, and both indexes are built for one width.
        self._l1: L1Index | None = None
        self._l2: L2Store | None = None
        self._guard = HitGuard()
        self._fills: asyncio.Queue[_Fill] | None = None
        self._worker: asyncio.Task | None = None
        self._background: set[asyncio.Future] = set()  # unused embeddings, kept from GC
        self._flushed_at: dict[str, float] = {}  # namespace -> monotonic time of its last flush
        self.dropped_fills = 0
        self._redis_warning = IntervalWarning(log, "Redis cache tiers skipped, Redis unavailable")
        self._embed_warning = IntervalWarning(log, "semantic cache skipped, embedding failed")

    @property
    def redis_failures(self) -> int:
        return self._redis_warning.count

    @property
    def embed_failures(self) -> int:
        return self._embed_warning.count

    async def lookup(self, scope: CacheScope, controls: CacheControls) -> Lookup:
        exact = self._exact_get(scope.exact_key, time.time())
        if exact is not None:
            return Lookup("hit-exact", exact, 1.0)
        exact, vector = await self._exact_redis_or_embedding(scope)
        if exact is not None:
            self._exact_put(scope.exact_key, exact)
            return Lookup("hit-exact", exact, 1.0)
        if vector is None:
            return Lookup("miss")
        l1, l2 = self._semantic_tiers(len(vector))
        hit = l1.lookup(scope.key, vector, controls.threshold, time.time())
        if hit is not None and self._guard.check(scope.user_turn, hit.answer.prompt).allowed:
            return Lookup("hit-l1", hit.answer, hit.similarity, vector)
        hit = await self._l2_lookup(l2, scope, vector, controls.threshold)
        if hit is not None and self._guard.check(scope.user_turn, hit.answer.prompt).allowed:
            self._enqueue(scope.key, None, vector, hit.answer, 0)  # an L2 hit fills L1
            return Lookup("hit-l2", hit.answer, hit.similarity, vector)
        return Lookup("miss", vector=vector)

    def remember(self, scope: CacheScope, controls: CacheControls, vector, body: bytes) -> None:
        answer = CachedAnswer(scope.user_turn, body, time.time() + controls.ttl_s)
        self._enqueue(scope.key, scope, vector, answer, controls.ttl_s)

    async def flush_namespace(self, namespace: str) -> dict[str, int | None]:
        """Remove every answer of ``namespace`` from every tier; how many each tier held.

        ``None`` for a Redis tier means Redis was unreachable and that tier was not flushed.
        Fills of the namespace still queued here are dropped; a fill another gateway has
        queued can still land in Redis after the flush.
        """
        self._flushed_at[namespace] = time.monotonic()
        exact_keys = [key for key in self._exact if _namespace_of(key) == namespace]
        for key in exact_keys:
            del self._exact[key]
        l1 = await asyncio.to_thread(self._l1.remove_namespace, namespace) if self._l1 else 0
        counts: dict[str, int | None] = {"exact": len(exact_keys), "l1": l1}
        counts["exact_redis"] = await self._redis_flush(self._exact_redis, namespace)
        if self._redis is not None and self._l2 is None:
            await self._embed(_WIDTH_PROBE)  # L2's index name carries the width
        if self._redis is not None and self._l2 is None:
            counts["l2"] = None  # the width is still unknown: the embedder is failing
        else:
            counts["l2"] = await self._redis_flush(self._l2, namespace)
        return counts

    async def _redis_flush(self, tier: ExactRedis | L2Store | None, namespace: str) -> int | None:
        if tier is None:
            return 0
        try:
            return await tier.flush_namespace(namespace)
        except L2Unavailable as exc:
            self._redis_warning.record(exc)
            return None

    def _semantic_tiers(self, dim: int) -> tuple[L1Index, L2Store | None]:
        if self._l1 is None:
            self._l1 = L1Index(dim=dim, capacity=self._config.l1_capacity)
            if self._redis is not None:
                index, prefix = index_names(self._embedder.name, dim)
                self._l2 = L2Store(self._redis, dim, index_name=index, prefix=prefix)
        return self._l1, self._l2

    async def _embed(self, text: str) -> np.ndarray | None:
        try:
            vector = (await self._embedder.embed([text]))[0]
        except Exception as exc:  # an embedder down must not fail the request: answer uncached
            self._embed_warning.record(exc)
            return None
        self._semantic_tiers(len(vector))
        return vector

    async def _exact_redis_or_embedding(
        self, scope: CacheScope
    ) -> tuple[CachedAnswer | None, np.ndarray | None]:
        """Redis's exact answer, else the user turn's embedding (None if that failed)."""
        if self._exact_redis is None:
            return None, await self._embed(scope.user_turn)
        # The embedding starts before Redis answers, so the round trip hides behind it on a
        # miss or a semantic hit; on a Redis exact hit it finishes unused in the background.
        embedding = asyncio.ensure_future(self._embed(scope.user_turn))
        exact = await self._exact_redis_get(scope)
        if exact is None:
            return None, await embedding
        self._background.add(embedding)
        embedding.add_done_callback(self._background.discard)
        return exact, None

    async def _exact_redis_get(self, scope: CacheScope) -> CachedAnswer | None:
        assert self._exact_redis is not None
        try:
            return await self._exact_redis.get(scope.namespace, scope.exact_key)
        except L2Unavailable as exc:
            self._redis_warning.record(exc)
            return None

    async def _l2_lookup(self, l2: L2Store | None, scope: CacheScope, vector, threshold: float):
        if l2 is None:
            return None
        try:
            return await l2.lookup(scope.key, vector, threshold)
        except L2Unavailable as exc:
            self._redis_warning.record(exc)
            return None

    def _enqueue(self, scope_key, scope, vector, answer: CachedAnswer, ttl_s: int) -> None:
        if self._fills is None:
            self._fills = asyncio.Queue(self._config.fill_queue)
            self._worker = asyncio.get_running_loop().create_task(self._fill_forever())
        fill = _Fill(scope_key, scope, vector, answer, ttl_s, time.monotonic())
        try:
            self._fills.put_nowait(fill)
        except asyncio.QueueFull:
            self.dropped_fills += 1

    async def _fill_forever(self) -> None:
        assert self._fills is not None
        while True:
            fill = await self._fills.get()
            try:
                await self._fill(fill)
            except Exception:  # a failed write must not stop later ones
                log.exception("cache fill failed")

    async def _fill(self, fill: _Fill) -> None:
        if self._flushed_at.get(_namespace_of(fill.scope_key), -1.0) >= fill.queued_at:
            return  # queued before its namespace was flushed
        vector = fill.vector if fill.vector is not None else await self._embed(fill.answer.prompt)
        if vector is not None:
            l1, _ = self._semantic_tiers(len(vector))
            # hnswlib may rebuild a large scope's graph here: keep it off the event loop.
            await asyncio.to_thread(l1.store, fill.scope_key, vector, fill.answer, time.time())
        scope = fill.scope
        if scope is None:
            return
        # After L1: once a repeat hits the exact tier, a paraphrase finds L1 filled too.
        self._exact_put(scope.exact_key, fill.answer)
        try:
            if self._exact_redis is not None:
                await self._exact_redis.put(
                    scope.namespace, scope.exact_key, fill.answer, fill.ttl_s
                )
            if vector is not None and self._l2 is not None:
                await self._l2.store(
                    fill.scope_key, scope.namespace, vector, fill.answer, fill.ttl_s
                )
        except L2Unavailable as exc:
            self._redis_warning.record(exc)

    def _exact_get(self, key: str, now: float) -> CachedAnswer | None:
        answer = self._exact.get(key)
        if answer is None or answer.expires_at <= now:
            return None
        self._exact.move_to_end(key)
        return answer

    def _exact_put(self, key: str, answer: CachedAnswer) -> None:
        self._exact[key] = answer
        self._exact.move_to_end(key)
        while len(self._exact) > self._config.exact_capacity:
            self._exact.popitem(last=False)

    async def stop_filling(self) -> None:
        """Stop the fill worker; pending fills are dropped."""
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
            self._worker, self._fills = None, None

    async def aclose(self) -> None:
        await self.stop_filling()
        if self._redis is not None:
            await self._redis.aclose()


def _namespace_of(key: str) -> str:
    # Scope and exact keys are "<namespace>|<hash>"; the hash holds no "|".
    return key.rpartition("|")[0]
