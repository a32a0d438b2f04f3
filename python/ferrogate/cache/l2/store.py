"""L2: the semantic tier in Redis Stack, shared by every gateway process."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import numpy as np
from redis import exceptions as redis_errors
from redis.asyncio import Redis

from ferrogate.cache.entry import CachedAnswer, SemanticHit
from ferrogate.cache.l2 import query
from ferrogate.cache.l2.errors import L2IndexMismatch, L2Unavailable

T = TypeVar("T")
FLUSH_BATCH = 1000  # keys per FT.SEARCH page while flushing a namespace
MISSING_INDEX = ("no such index", "unknown index name")  # FT.SEARCH and FT.INFO wording


def index_names(embedder_name: str, dim: int) -> tuple[str, str]:
    """(index name, key prefix) for one embedder's vectors.

    Vectors of two embedders, or of two widths, must never share an index: their similarities
    would mean nothing, and an index refuses vectors of another width. So both names carry
    the embedder's name and the width, with a digest of the exact name in case two names
    differ only in the characters the readable part replaces.
    """
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "-", embedder_name).strip("-")
    digest = hashlib.blake2b(embedder_name.encode(), digest_size=4).hexdigest()
    suffix = f"{readable}:{dim}:{digest}"
    return f"ferrogate:semantic:{suffix}", f"ferrogate:sc:{suffix}:"


class L2Store:
    """Cached answers as Redis hashes under ``prefix``, found by a KNN search on ``index_name``.

    Each hash holds ``scope`` and ``namespace`` (TAGs, hex-encoded, see ``query.tag``),
    ``vector`` (float32, unit length) and ``answer`` (``CachedAnswer.to_bytes``). Every
    Redis error comes out as ``L2Unavailable``.
    """

    def __init__(
        self,
        redis: Redis,
        dim: int,
        index_name: str = "ferrogate:semantic",
        prefix: str = "ferrogate:sc:",
    ) -> None:
        self.redis = redis
        self.dim = dim
        self.index_name = index_name
        self.prefix = prefix
        self._index_ready = False

    async def ensure_index(self) -> None:
        """Create the index unless it exists; an existing one must have the same dimension."""
        self._index_ready = False
        await self._call(_nothing)

    async def lookup(self, scope: str, vector: Any, threshold: float) -> SemanticHit | None:
        """The nearest answer in ``scope`` when its cosine similarity is at least ``threshold``."""
        args = query.knn_args(self.index_name, scope, self._vector_bytes(vector))
        reply = await self._call(lambda: self.redis.execute_command(*args))
        for _key, fields in query.rows(reply):
            similarity = 1.0 - float(fields[b"dist"])
            answer = CachedAnswer.from_bytes(fields[b"answer"])
            # Redis expires keys lazily and by sampling, so an expired one can still be found.
            if similarity >= threshold and answer.expires_at > time.time():
                return SemanticHit(answer, similarity)
        return None

    async def store(
        self, scope: str, namespace: str, vector: Any, answer: CachedAnswer, ttl_s: int
    ) -> None:
        """Write one entry that expires after ``ttl_s`` seconds (and leaves the index with it)."""
        key = self._key(scope, answer.prompt)
        mapping = {
            "scope": query.tag(scope),
            "namespace": query.tag(namespace),
            "vector": self._vector_bytes(vector),
            "answer": answer.to_bytes(),
        }

        async def write() -> None:
            # No MULTI: the key is new or holds the same question, so interleaving with other
            # clients changes nothing, and both commands go out in one write. The one partial
            # outcome, a connection lost between them, leaves a hash without TTL that lookup
            # still refuses once its expires_at has passed.
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.hset(key, mapping=mapping)
                pipe.expire(key, ttl_s)
                await pipe.execute()

        await self._call(write)

    async def flush_namespace(self, namespace: str) -> int:
        """Delete every entry of ``namespace``; returns how many keys were deleted."""
        args = query.namespace_keys_args(self.index_name, namespace, FLUSH_BATCH)
        deleted = 0
        while True:
            reply = await self._call(lambda: self.redis.execute_command(*args))
            keys = [key for key, _ in query.rows(reply)]
            removed = await self._call(lambda keys=keys: self.redis.delete(*keys)) if keys else 0
            deleted += removed
            # DEL takes a key out of the index at once, so page 0 always holds the rest; stop
            # when it is short, or when it only held expired keys not yet reclaimed.
            if len(keys) < FLUSH_BATCH or removed == 0:
                return deleted

    async def _ensure_index(self) -> None:
        try:
            await self.redis.execute_command(
                *query.create_args(self.index_name, self.prefix, self.dim)
            )
        except redis_errors.ResponseError as error:
            if "already exists" not in str(error).lower():
                raise
            info = await self.redis.execute_command("FT.INFO", self.index_name)
            found = query.index_dim(info)
            if found != self.dim:
                raise L2IndexMismatch(
                    f"Redis index {self.index_name!r} holds vectors of dimension {found}, "
                    f"the embedder makes {self.dim}: drop it (FT.DROPINDEX {self.index_name}) "
                    "or configure another index name"
                ) from None
        self._index_ready = True

    async def _call(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run one Redis operation, re-creating the index first if it may be gone."""
        try:
            if not self._index_ready:
                await self._ensure_index()
            try:
                return await operation()
            except redis_errors.ResponseError as error:
                if not _is_missing_index(error):
                    raise
                # Redis restarted or was flushed between our calls: rebuild, then go on.
                await self._ensure_index()
                return await operation()
        except redis_errors.RedisError as error:
            if isinstance(error, redis_errors.ConnectionError) or _is_missing_index(error):
                self._index_ready = False  # Redis may come back empty
            raise L2Unavailable(f"Redis L2 call failed: {error}") from error

    def _vector_bytes(self, vector: Any) -> bytes:
        array = np.ascontiguousarray(vector, dtype=np.float32)
        if array.shape != (self.dim,):
            raise ValueError(f"expected a vector of shape ({self.dim},), got {array.shape}")
        return array.tobytes()

    def _key(self, scope: str, prompt: str) -> str:
        # One key per (scope, question): two gateways caching the same miss overwrite each
        # other instead of filling the index with duplicates.
        digest = hashlib.blake2b(f"{scope}\0{prompt}".encode(), digest_size=16).hexdigest()
        return self.prefix + digest


def _is_missing_index(error: redis_errors.RedisError) -> bool:
    text = str(error).lower()
    return isinstance(error, redis_errors.ResponseError) and any(m in text for m in MISSING_INDEX)


async def _nothing() -> None:
    return None
