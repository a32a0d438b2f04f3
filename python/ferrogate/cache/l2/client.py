"""The Redis client L2 is meant to run on: a bounded, blocking pool that fails fast."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

DEFAULT_MAX_CONNECTIONS = 32  # per process; a lookup holds one for one round trip
DEFAULT_POOL_TIMEOUT_S = 0.5  # waiting for a free connection, then L2 is skipped
DEFAULT_SOCKET_TIMEOUT_S = 0.5  # a KNN in a 10k-entry scope: 1.5-5 ms (bench/cache_l2.py)
DEFAULT_CONNECT_TIMEOUT_S = 0.25  # loopback or same-zone Redis; longer means it is down


def connect(
    url: str,
    *,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    pool_timeout_s: float = DEFAULT_POOL_TIMEOUT_S,
    socket_timeout_s: float = DEFAULT_SOCKET_TIMEOUT_S,
    connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S,
) -> Redis:
    """An asyncio client for ``L2Store`` (close it with ``await client.aclose()``).

    BlockingConnectionPool makes a burst past ``max_connections`` wait up to
    ``pool_timeout_s`` instead of raising at once, as the plain ConnectionPool does.
    One retry without backoff replaces a pooled connection that died with a Redis
    restart; redis-py's default (10 retries, exponential backoff) would hold a request
    for seconds while Redis is down, where a cache should give up and answer without it.
    """
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=pool_timeout_s,
        socket_timeout=socket_timeout_s,
        socket_connect_timeout=connect_timeout_s,
        retry=Retry(NoBackoff(), 1),
        protocol=3,
    )
    return Redis.from_pool(pool)  # aclose() then closes the pool too
