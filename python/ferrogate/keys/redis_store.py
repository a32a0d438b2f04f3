"""Keys in Redis: the store shared by every gateway instance."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis import exceptions as redis_errors

from ferrogate.keys.record import KeyRecord, decode_record, encode_record
from ferrogate.keys.store import KeyAlreadyExists, KeyNotFound, StoreUnavailable
from ferrogate.shared_state.redis_client import connect

T = TypeVar("T")
RECORD_PREFIX = "ferrogate:key:"
INDEX_KEY = "ferrogate:keys"  # a set of every key id, for listing without SCAN
MAX_CONNECTIONS = 16  # per process; only cache misses and admin calls reach the store
POOL_TIMEOUT_S = 1.0  # waiting for a free connection before the lookup fails
SOCKET_TIMEOUT_S = 1.0
CONNECT_TIMEOUT_S = 0.5


class RedisKeyStore:
    """Each record is a msgspec JSON string under `ferrogate:key:<id>`, its id in a set.

    Record and set change together in MULTI transactions. Every Redis error, a pool that
    stays exhausted included, comes out as StoreUnavailable.
    """

    def __init__(self, redis_url: str) -> None:
        # Fails fast (no retry back-off), so the verifier answers 503 or serves its cache at
        # once while Redis is down.
        self._redis = connect(
            redis_url,
            max_connections=MAX_CONNECTIONS,
            pool_timeout_s=POOL_TIMEOUT_S,
            socket_timeout_s=SOCKET_TIMEOUT_S,
            connect_timeout_s=CONNECT_TIMEOUT_S,
        )

    async def create(self, record: KeyRecord) -> None:
        async def write() -> list:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(_record_key(record.id), encode_record(record), nx=True)
                pipe.sadd(INDEX_KEY, record.id)
                return await pipe.execute()

        created, _ = await self._call(write)
        if not created:
            raise KeyAlreadyExists(record.id)

    async def get(self, key_id: str) -> KeyRecord | None:
        data = await self._call(lambda: self._redis.get(_record_key(key_id)))
        return None if data is None else decode_record(data)

    async def list(self) -> list[KeyRecord]:
        ids = sorted(i.decode() for i in await self._call(lambda: self._redis.smembers(INDEX_KEY)))
        if not ids:
            return []
        values = await self._call(lambda: self._redis.mget([_record_key(i) for i in ids]))
        # A key deleted between the two reads has no value left: it is simply not listed.
        records = [decode_record(value) for value in values if value is not None]
        return sorted(records, key=lambda record: (record.created_at, record.id))

    async def put(self, record: KeyRecord) -> None:
        replaced = await self._call(
            lambda: self._redis.set(_record_key(record.id), encode_record(record), xx=True)
        )
        if not replaced:
            raise KeyNotFound(record.id)

    async def delete(self, key_id: str) -> bool:
        async def remove() -> list:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.delete(_record_key(key_id))
                pipe.srem(INDEX_KEY, key_id)
                return await pipe.execute()

        deleted, _ = await self._call(remove)
        return deleted > 0

    async def aclose(self) -> None:
        await self._redis.aclose()  # closes the pool too (from_pool)

    async def _call(self, operation: Callable[[], Awaitable[T]]) -> T:
        try:
            return await operation()
        except (redis_errors.RedisError, OSError) as error:
            raise StoreUnavailable(f"Redis key store: {error}") from error


def _record_key(key_id: str) -> str:
    return RECORD_PREFIX + key_id
