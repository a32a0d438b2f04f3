from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis

from ferrogate.keys import KeyRecord, KeyStore, RedisKeyStore, SecretHasher, SqliteKeyStore

PEPPER = b"test pepper"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def hasher() -> SecretHasher:
    return SecretHasher(PEPPER)


@pytest.fixture(params=["sqlite", "redis"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[KeyStore]:
    """Each back end in turn, empty: SQLite in tmp_path, Redis on the session's server."""
    if request.param == "sqlite":
        opened: KeyStore = SqliteKeyStore(str(tmp_path / "keys.sqlite3"))
    else:
        request.getfixturevalue("redis_client")  # flushes the database
        opened = RedisKeyStore(request.getfixturevalue("redis_stack_url"))
    yield opened
    await opened.aclose()


def stored_bytes(store: KeyStore, redis_client: redis.Redis | None) -> bytes:
    """Everything the store holds at rest: every Redis key and value, or the SQLite files."""
    if isinstance(store, SqliteKeyStore):
        database = Path(store.path)
        files = database.parent.glob(database.name + "*")  # the database, -wal and -shm
        return b"".join(path.read_bytes() for path in sorted(files))
    assert redis_client is not None
    chunks = []
    for key in redis_client.scan_iter(count=1000):
        chunks.append(key)
        if redis_client.type(key) == b"set":
            chunks.extend(redis_client.smembers(key))
        else:
            chunks.append(redis_client.get(key))
    return b"".join(chunks)


def record(key_id: str, hasher: SecretHasher, secret: str, **fields) -> KeyRecord:
    fields.setdefault("created_at", 1_700_000_000.0)
    return KeyRecord(id=key_id, secret_hash=hasher.digest(secret), **fields)
