"""Both key stores pass the same tests: SQLite in a temp dir, Redis on a real Redis Stack."""

from __future__ import annotations

import msgspec
import pytest

from ferrogate.config.schema import KeysConfig
from ferrogate.keys import (
    KeyAlreadyExists,
    KeyNotFound,
    RedisKeyStore,
    SqliteKeyStore,
    new_key,
    open_key_store,
)
from tests.keys.conftest import record, stored_bytes

pytestmark = pytest.mark.anyio


async def test_a_created_key_can_be_read_back(store, hasher):
    created = record(
        "aaaaaaaaaaaa",
        hasher,
        "s" * 43,
        models=["gpt-4o"],
        rpm=5,
        metadata={"team": "x", "nested": [1, {"a": None}]},
    )
    await store.create(created)

    assert await store.get("aaaaaaaaaaaa") == created
    assert await store.get("bbbbbbbbbbbb") is None


async def test_creating_a_taken_id_fails_and_keeps_the_first(store, hasher):
    first = record("aaaaaaaaaaaa", hasher, "one" * 11)
    await store.create(first)

    with pytest.raises(KeyAlreadyExists):
        await store.create(record("aaaaaaaaaaaa", hasher, "two" * 11))
    assert await store.get("aaaaaaaaaaaa") == first


async def test_list_returns_every_key_oldest_first(store, hasher):
    assert await store.list() == []
    records = [record(f"key{n}aaaaaaaa", hasher, "s" * 43, created_at=1000.0 - n) for n in range(5)]
    for each in records:
        await store.create(each)

    assert await store.list() == sorted(records, key=lambda r: r.created_at)


async def test_put_replaces_an_existing_key(store, hasher):
    original = record("aaaaaaaaaaaa", hasher, "s" * 43, rpm=5)
    await store.create(original)
    changed = msgspec.structs.replace(original, rpm=None, tpm=100, secret_hash="0" * 64)

    await store.put(changed)

    assert await store.get("aaaaaaaaaaaa") == changed
    assert await store.list() == [changed]


async def test_put_does_not_bring_back_a_deleted_key(store, hasher):
    with pytest.raises(KeyNotFound):
        await store.put(record("aaaaaaaaaaaa", hasher, "s" * 43))
    assert await store.get("aaaaaaaaaaaa") is None


async def test_delete_removes_the_key_once(store, hasher):
    await store.create(record("aaaaaaaaaaaa", hasher, "s" * 43))
    await store.create(record("bbbbbbbbbbbb", hasher, "s" * 43))

    assert await store.delete("aaaaaaaaaaaa") is True
    assert await store.delete("aaaaaaaaaaaa") is False
    assert await store.get("aaaaaaaaaaaa") is None
    assert [r.id for r in await store.list()] == ["bbbbbbbbbbbb"]


async def test_the_secret_never_reaches_storage(store, hasher, request):
    is_redis = isinstance(store, RedisKeyStore)
    redis_client = request.getfixturevalue("redis_client") if is_redis else None
    keys = [new_key() for _ in range(20)]
    for _, key_id, secret in keys:
        await store.create(record(key_id, hasher, secret))
    rotated_full, _, rotated_secret = new_key()
    await store.put(record(keys[0][1], hasher, rotated_secret))

    at_rest = stored_bytes(store, redis_client)

    assert keys[5][1].encode() in at_rest  # the scan does see the records
    for full, _, secret in [*keys, (rotated_full, None, rotated_secret)]:
        assert secret.encode() not in at_rest
        assert full.encode() not in at_rest


async def test_two_sqlite_stores_on_one_file_see_each_others_changes(tmp_path, hasher):
    path = str(tmp_path / "shared.sqlite3")
    writer, reader = SqliteKeyStore(path), SqliteKeyStore(path)
    try:
        await writer.create(record("aaaaaaaaaaaa", hasher, "s" * 43))
        assert (await reader.get("aaaaaaaaaaaa")).id == "aaaaaaaaaaaa"
        await reader.delete("aaaaaaaaaaaa")
        assert await writer.get("aaaaaaaaaaaa") is None
    finally:
        await writer.aclose()
        await reader.aclose()


async def test_open_key_store_picks_redis_only_when_asked_or_configured(tmp_path):
    sqlite_path = str(tmp_path / "k.sqlite3")
    url = "redis://127.0.0.1:1/0"  # never connected to: the store connects lazily
    cases = [
        (KeysConfig(sqlite_path=sqlite_path), None, SqliteKeyStore),
        (KeysConfig(sqlite_path=sqlite_path), url, RedisKeyStore),
        (KeysConfig(store="sqlite", sqlite_path=sqlite_path), url, SqliteKeyStore),
        (KeysConfig(store="redis"), url, RedisKeyStore),
    ]
    for config, redis_url, expected in cases:
        opened = open_key_store(config, redis_url)
        assert isinstance(opened, expected)
        await opened.aclose()

    with pytest.raises(ValueError, match="Redis URL"):
        open_key_store(KeysConfig(store="redis"), None)
