"""The exact tier's shared half: whole-request answers in Redis, on L2's connection.

The in-process LRU answers repeats seen by this process; this answers repeats first seen by
another one. Plain strings with ``EX``: no index, one GET per lookup, one SET per fill.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable
from typing import TypeVar

from redis import exceptions as redis_errors
from redis.asyncio import Redis

from ferrogate.cache.entry import CachedAnswer
from ferrogate.cache.l2.errors import L2Unavailable
from ferrogate.cache.l2.query import tag

T = TypeVar("T")
EXACT_PREFIX = "ferrogate:cache:exact:"
FLUSH_BATCH = 1000  # keys per SCAN page and per UNLINK while flushing a namespace


class ExactRedis:
    """Answers by exact key, as ``<prefix><namespace in hex>:<digest of the exact key>``.

    The namespace leads the key in hex (see ``query.tag``), so a flush can SCAN for exactly
    its own keys: hex holds no glob character and no namespace's hex is another's prefix
    followed by ``:``. Every Redis error comes out as ``L2Unavailable``.
    """

    def __init__(self, redis: Redis, prefix: str = EXACT_PREFIX) -> None:
        self.redis = redis
        self.prefix = prefix

    async def get(self, namespace: str, exact_key: str) -> CachedAnswer | None:
        raw = await _call(self.redis.get(self._key(namespace, exact_key)))
        if raw is None:
            return None
        answer = CachedAnswer.from_bytes(raw)
        # EX and expires_at agree; the check covers a key whose EXPIRE was lost.
        return answer if answer.expires_at > time.time() else None

    async def put(self, namespace: str, exact_key: str, answer: CachedAnswer, ttl_s: int) -> None:
        key = self._key(namespace, exact_key)
        await _call(self.redis.set(key, answer.to_bytes(), ex=ttl_s))

    async def flush_namespace(self, namespace: str) -> int:
        """Delete every answer of ``namespace``; returns how many keys were deleted."""
        pattern = f"{self.prefix}{tag(namespace)}:*"
        deleted = 0
        batch: list[bytes] = []
        try:
            async for key in self.redis.scan_iter(match=pattern, count=FLUSH_BATCH):
                batch.append(key)
                if len(batch) >= FLUSH_BATCH:
                    deleted += await self.redis.unlink(*batch)
                    batch.clear()
            if batch:
                deleted += await self.redis.unlink(*batch)
        except redis_errors.RedisError as error:
            raise L2Unavailable(f"Redis exact-tier flush failed: {error}") from error
        return deleted

    def _key(self, namespace: str, exact_key: str) -> str:
        digest = hashlib.blake2b(exact_key.encode(), digest_size=16).hexdigest()
        return f"{self.prefix}{tag(namespace)}:{digest}"


async def _call(operation: Awaitable[T]) -> T:
    try:
        return await operation
    except redis_errors.RedisError as error:
        raise L2Unavailable(f"Redis exact-tier call failed: {error}") from error
