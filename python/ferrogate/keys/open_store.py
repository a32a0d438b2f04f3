"""Choose the key store the configuration asks for."""

from __future__ import annotations

from ferrogate.keys.redis_store import RedisKeyStore
from ferrogate.keys.sqlite_store import SqliteKeyStore
from ferrogate.keys.store import KeyStore


def open_key_store(keys_config, redis_url: str | None) -> KeyStore:
    """Redis when `store` is `redis`, or `auto` with a Redis URL; else the SQLite file."""
    if keys_config.store == "redis" or (keys_config.store == "auto" and redis_url):
        if not redis_url:
            raise ValueError("keys.store is redis but no Redis URL is configured")
        return RedisKeyStore(redis_url)
    return SqliteKeyStore(keys_config.sqlite_path)
