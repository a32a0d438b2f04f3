"""Keys are compared with hmac.compare_digest, and the answer rests on it alone.

No timing is measured (too noisy to assert); instead compare_digest is replaced by a
recorder, and then by one that always says "equal": if a wrong key then passes, no other
comparison (an `==` that would leak where the strings differ) decides anything.
"""

from __future__ import annotations

import asyncio
import hmac

import pytest

from ferrogate.errors import AuthenticationFailed
from ferrogate.gateway.auth import MASTER, Authenticator
from ferrogate.keys import KeyRecord, KeyVerifier, SecretHasher, SqliteKeyStore, new_key

MASTER_KEY = "mk-constant-time-0123456789"
HASHER = SecretHasher(b"pepper")
real_compare_digest = hmac.compare_digest


def _bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def _verify_wrong_secret(tmp_path) -> tuple[KeyRecord | None, str, str]:
    """Store a fresh key, present it with another secret of the same length:
    (the record if accepted, the presented secret, the real secret)."""

    async def verify() -> tuple[KeyRecord | None, str, str]:
        store = SqliteKeyStore(str(tmp_path / "keys.sqlite3"))
        full, key_id, secret = new_key()
        wrong = "A" * len(secret)
        await store.create(KeyRecord(id=key_id, secret_hash=HASHER.digest(secret), created_at=0))
        try:
            verifier = KeyVerifier(store, HASHER, ttl_s=60)
            return await verifier.verify(full.removesuffix(secret) + wrong), wrong, secret
        except AuthenticationFailed:
            return None, wrong, secret
        finally:
            await store.aclose()

    return asyncio.run(verify())


@pytest.fixture
def calls(monkeypatch) -> list[tuple]:
    seen: list[tuple] = []

    def recording(a, b):
        seen.append((a, b))
        return real_compare_digest(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    return seen


def test_a_wrong_virtual_key_secret_is_refused_through_compare_digest(tmp_path, calls):
    accepted, wrong, secret = _verify_wrong_secret(tmp_path)

    assert accepted is None
    assert calls == [(HASHER.digest(wrong), HASHER.digest(secret))]


def test_a_wrong_master_key_is_refused_through_compare_digest(calls):
    authenticator = Authenticator(MASTER_KEY)

    with pytest.raises(AuthenticationFailed):
        authenticator.require_master(_bearer("mk-wrong"))
    assert calls == [(b"mk-wrong", MASTER_KEY.encode())]


def test_only_compare_digest_decides(tmp_path, monkeypatch):
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: True)
    authenticator = Authenticator(MASTER_KEY)

    accepted, _, _ = _verify_wrong_secret(tmp_path)
    authenticator.require_master(_bearer("mk-wrong"))  # no error: nothing else compared

    assert accepted is not None, "a wrong secret passes only if compare_digest alone decides"
    assert asyncio.run(authenticator.caller(_bearer("mk-wrong"))) is MASTER
