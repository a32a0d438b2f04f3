"""The cache tiers in order: exact, L1 (this process), L2 (Redis, shared), with the hit guard.

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

from ferrogate.config import CacheConfig

from .controls import CacheControls
from .embedders import Embedder
from .entry import CachedAnswer
from .guard import HitGuard
from .l1 import L1Index
from .l2 import L2Store, L2Unavailable
from .scope import CacheScope

log = logging.getLogger("ferrogate.cache")
_L2_LOG_INTERVAL_S = 30.0


@dataclass(frozen=True, slots=True)
class Lookup:
    outcome: str  # hit-exact | hit-l1 | hit-l2 | miss
    answer: CachedAnswer | None = None
    similarity: float | None = None
    vector: np.ndarray | None = None  # the user turn's embedding, reused by the fill


class ResponseCache:
    def __init__(self, config: CacheConfig, embedder: Embedder, l2: L2Store | None):
        self._config = config
        self._embedder = embedder
        self._l2 = l2
        self._exact: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._l1 = L1Index(dim=embedder.dim, capacity=config.l1_capacity)
        self._guard = HitGuard()
        self._fills: asyncio.Queue | None = None
        self._worker: asyncio.Task | None = None
        self.dropped_fills = 0
        self.l2_failures = 0
        self._l2_logged_at = 0.0

    async def lookup(self, scope: CacheScope, controls: CacheControls) -> Lookup:
        now = time.time()
        exact = self._exact_get(scope.exact_key, now)
        if exact is not None:
            return Lookup("hit-exact", exact, 1.0)
        vector = (await self._embedder.embed([scope.user_turn]))[0]
        hit = self._l1.lookup(scope.key, vector, controls.threshold, now)
        if hit is not None and self._guard.check(scope.user_turn, hit.answer.prompt).allowed:
            return Lookup("hit-l1", hit.answer, hit.similarity, vector)
        hit = await self._l2_lookup(scope, vector, controls.threshold)
        if hit is not None and self._guard.check(scope.user_turn, hit.answer.prompt).allowed:
            self._enqueue((scope.key, None, vector, hit.answer, 0))  # an L2 hit fills L1
            return Lookup("hit-l2", hit.answer, hit.similarity, vector)
        return Lookup("miss", vector=vector)

    def remember(self, scope: CacheScope, controls: CacheControls, vector, body: bytes) -> None:
        answer = CachedAnswer(scope.user_turn, body, time.time() + controls.ttl_s)
        self._enqueue((scope.key, scope, vector, answer, controls.ttl_s))

    async def _l2_lookup(self, scope: CacheScope, vector, threshold: float):
        if self._l2 is None:
            return None
        try:
            return await self._l2.lookup(scope.key, vector, threshold)
        except L2Unavailable as exc:
            self._l2_failed(exc)
            return None

    def _enqueue(self, item) -> None:
        if self._fills is None:
            self._fills = asyncio.Queue(self._config.fill_queue)
            self._worker = asyncio.get_running_loop().create_task(self._fill_forever())
        try:
            self._fills.put_nowait(item)
        except asyncio.QueueFull:
            self.dropped_fills += 1

    async def _fill_forever(self) -> None:
        assert self._fills is not None
        while True:
            item = await self._fills.get()
            try:
                await self._fill(*item)
            except Exception:  # a failed write must not stop later ones
                log.exception("cache fill failed")

    async def _fill(self, key: str, scope: CacheScope | None, vector, answer, ttl_s: int) -> None:
        if vector is None:
            vector = (await self._embedder.embed([answer.prompt]))[0]
        # hnswlib may rebuild a large scope's graph here: keep it off the event loop.
        await asyncio.to_thread(self._l1.store, key, vector, answer, time.time())
        if scope is None:
            return  # an L1 fill from an L2 hit: exact and L2 already have it
        self._exact_put(scope.exact_key, answer)
        if self._l2 is not None:
            try:
                await self._l2.store(key, scope.namespace, vector, answer, ttl_s)
            except L2Unavailable as exc:
                self._l2_failed(exc)

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

    def _l2_failed(self, exc: Exception) -> None:
        self.l2_failures += 1
        now = time.monotonic()
        if now - self._l2_logged_at >= _L2_LOG_INTERVAL_S:
            self._l2_logged_at = now
            log.warning(
                "L2 cache skipped, Redis unavailable (%d failures so far): %s",
                self.l2_failures,
                exc,
            )

    async def stop_filling(self) -> None:
        """Stop the fill worker; pending fills are dropped."""
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
            self._worker, self._fills = None, None

    async def aclose(self) -> None:
        await self.stop_filling()
        if self._l2 is not None:
            await self._l2.redis.aclose()
