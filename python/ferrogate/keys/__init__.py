"""Virtual keys: format, keyed hashing, storage (SQLite or Redis) and verification."""

from ferrogate.keys.admin_bodies import key_from_create_body, key_with_changes, period_seconds
from ferrogate.keys.open_store import open_key_store
from ferrogate.keys.record import KeyRecord
from ferrogate.keys.redis_store import RedisKeyStore
from ferrogate.keys.secret import KEY_PREFIX, SecretHasher, new_key, parse_key, pepper_from
from ferrogate.keys.sqlite_store import SqliteKeyStore
from ferrogate.keys.store import KeyAlreadyExists, KeyNotFound, KeyStore, StoreUnavailable
from ferrogate.keys.verifier import KeyVerifier

__all__ = [
    "KEY_PREFIX",
    "KeyAlreadyExists",
    "KeyNotFound",
    "KeyRecord",
    "KeyStore",
    "KeyVerifier",
    "RedisKeyStore",
    "SecretHasher",
    "SqliteKeyStore",
    "StoreUnavailable",
    "key_from_create_body",
    "key_with_changes",
    "new_key",
    "open_key_store",
    "parse_key",
    "pepper_from",
    "period_seconds",
]
