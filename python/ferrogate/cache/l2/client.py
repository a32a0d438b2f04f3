"""The Redis client L2 is meant to run on: the shared fail-fast client, sized for the cache."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ferrogate.shared_state import redis_client

if TYPE_CHECKING:
    from redis.asyncio import Redis

MAX_CONNECTIONS = 32  # per process; a lookup holds one for one round trip


def connect(url: str, *, max_connections: int = MAX_CONNECTIONS) -> Redis:
    """An asyncio client for ``L2Store`` (close it with ``await client.aclose()``).

    It fails fast, where a cache should give up and answer without Redis. The shared
    timeouts fit L2: a KNN in a 10k-entry scope takes 1.5-5 ms (bench/cache_l2.py), well
    within the 0.5 s socket timeout, and past the 0.5 s pool timeout L2 is skipped. It speaks
    RESP3, as L2 always has (`query.py` reads FT.SEARCH and FT.INFO replies in either shape).
    """
    return redis_client.connect(url, max_connections=max_connections, protocol=3)
