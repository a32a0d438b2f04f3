"""KeyVerifier against real stores: the answers, the cache, revocation and store outages."""

from __future__ import annotations

import asyncio
import time

import msgspec
import pytest

from ferrogate.errors import AuthenticationFailed
from ferrogate.keys import (
    KeyVerifier,
    RedisKeyStore,
    SecretHasher,
    SqliteKeyStore,
    StoreUnavailable,
    new_key,
)
from tests.infra.redis_stack import RedisStack
from tests.keys.conftest import record

pytestmark = pytest.mark.anyio
LONG_TTL_S = 3600.0


async def created_key(store, hasher, **fields) -> str:
    full, key_id, secret = new_key()
    await store.create(record(key_id, hasher, secret, **fields))
    return full


async def refused_with(verifier: KeyVerifier, presented: str) -> str:
    with pytest.raises(AuthenticationFailed) as caught:
        await verifier.verify(presented)
    assert caught.value.status == 401
    assert caught.value.code == "invalid_api_key"
    return caught.value.message


async def test_a_valid_key_gives_its_record(store, hasher):
    full = await created_key(store, hasher, models=["gpt-4o"], rpm=7)
    verifier = KeyVerifier(store, hasher, ttl_s=LONG_TTL_S)

    verified = await verifier.verify(full)

    assert verified.rpm == 7
    assert verified.models == ["gpt-4o"]
    assert await verifier.verify(full) == verified  # again, from the cache


async def test_unknown_and_wrong_secret_get_the_same_answer(store, hasher):
    full = await created_key(store, hasher)
    key_id = full.split("-")[1]
    _, _, other_secret = new_key()
    verifier = KeyVerifier(store, hasher, ttl_s=LONG_TTL_S)

    unknown = await refused_with(verifier, new_key()[0])
    await verifier.verify(full)  # the record is now cached
    wrong = await refused_with(verifier, f"fg-{key_id}-{other_secret}")

    assert unknown == wrong
    assert "invalid" in unknown.lower()
    assert other_secret not in wrong


async def test_a_wrong_secret_is_refused_even_for_a_cached_key(store, hasher):
    full = await created_key(store, hasher)
    verifier = KeyVerifier(store, hasher, ttl_s=LONG_TTL_S)
    await verifier.verify(full)

    await refused_with(verifier, full[:-1] + ("A" if full[-1] != "A" else "B"))
    assert (await verifier.verify(full)).id == full.split("-")[1]


async def test_a_key_checked_with_another_pepper_is_refused(store, hasher):
    full = await created_key(store, hasher)
    verifier = KeyVerifier(store, SecretHasher(b"another pepper"), ttl_s=LONG_TTL_S)

    await refused_with(verifier, full)


async def test_an_expired_key_is_refused_and_says_so(store, hasher):
    expired = await created_key(store, hasher, expires_at=time.time() - 1)
    live = await created_key(store, hasher, expires_at=time.time() + 3600)
    verifier = KeyVerifier(store, hasher, ttl_s=LONG_TTL_S)

    message = await refused_with(verifier, expired)

    assert "expired" in message.lower()
    assert (await verifier.verify(live)).expires_at is not None


@pytest.mark.parametrize(
    "presented",
    ["", "Bearer fg-", "sk-proj-abc", "fg-short-secret", "fg-abcdefgh2345-has-dashes-in-it-x"],
)
async def test_a_malformed_key_is_refused_without_reading_the_store(presented, hasher, tmp_path):
    store = SqliteKeyStore(str(tmp_path / "k.sqlite3"))
    await store.aclose()  # a closed store fails on any read: the refusal must come first
    verifier = KeyVerifier(store, hasher, ttl_s=LONG_TTL_S)

    message = await refused_with(verifier, presented)

    assert "malformed" in message.lower()
    if presented:
        assert presented not in message


async def test_a_revoked_key_stops_working_on_another_instance_within_the_ttl(store, hasher):
    full = await created_key(store, hasher)
    key_id = full.split("-")[1]
    here = KeyVerifier(store, hasher, ttl_s=0.2)
    elsewhere = KeyVerifier(store, hasher, ttl_s=0.2)
    await here.verify(full)
    await elsewhere.verify(full)

    await store.delete(key_id)
    here.forget(key_id)

    await refused_with(here, full)  # the instance that revoked it: at once
    await asyncio.sleep(0.25)
    await refused_with(elsewhere, full)  # any other: after at most ttl_s


async def test_a_changed_key_is_seen_after_forget_or_the_ttl(store, hasher):
    full = await created_key(store, hasher, rpm=1)
    key_id = full.split("-")[1]
    verifier = KeyVerifier(store, hasher, ttl_s=0.2)
    await verifier.verify(full)

    old = await store.get(key_id)
    await store.put(msgspec.structs.replace(old, rpm=2))
    await asyncio.sleep(0.25)
    assert (await verifier.verify(full)).rpm == 2

    await store.put(msgspec.structs.replace(old, rpm=3))
    verifier.forget(key_id)
    assert (await verifier.verify(full)).rpm == 3


async def test_a_key_created_just_after_a_failed_lookup_works_after_a_second(store, hasher):
    full, key_id, secret = new_key()
    verifier = KeyVerifier(store, hasher, ttl_s=LONG_TTL_S, negative_ttl_s=0.1)
    await refused_with(verifier, full)

    await store.create(record(key_id, hasher, secret))
    await asyncio.sleep(0.15)

    assert (await verifier.verify(full)).id == key_id


async def test_the_cache_holds_at_most_max_entries(store, hasher):
    keys = [await created_key(store, hasher) for _ in range(12)]
    verifier = KeyVerifier(store, hasher, ttl_s=LONG_TTL_S, max_entries=5)

    for full in keys:
        await verifier.verify(full)

    assert verifier.cached_count() == 5
    for full in keys:  # evicted keys are read again and still verify
        await verifier.verify(full)
    assert verifier.cached_count() == 5


async def test_cached_keys_survive_a_redis_outage_and_others_get_store_unavailable(hasher):
    server = RedisStack().start()
    store = RedisKeyStore(server.url)
    try:
        cached = await created_key(store, hasher)
        uncached = await created_key(store, hasher)
        verifier = KeyVerifier(store, hasher, ttl_s=0.05)
        record_before = await verifier.verify(cached)
        server.stop()
        await asyncio.sleep(0.1)  # past ttl_s: the verifier tries the store, which is down

        assert await verifier.verify(cached) == record_before
        await refused_with(verifier, cached[:-1] + ("A" if cached[-1] != "A" else "B"))
        with pytest.raises(StoreUnavailable):
            await verifier.verify(uncached)
        with pytest.raises(StoreUnavailable):
            await store.list()
    finally:
        await store.aclose()
        server.stop()


async def test_without_grace_a_cached_key_needs_the_store_after_the_ttl(hasher):
    server = RedisStack().start()
    store = RedisKeyStore(server.url)
    try:
        full = await created_key(store, hasher)
        verifier = KeyVerifier(store, hasher, ttl_s=0.05, outage_grace_s=0.0)
        await verifier.verify(full)
        server.stop()
        await asyncio.sleep(0.1)

        with pytest.raises(StoreUnavailable):
            await verifier.verify(full)
    finally:
        await store.aclose()
        server.stop()
