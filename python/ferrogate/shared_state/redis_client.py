"""The Redis client every Redis-backed store runs on: a bounded, blocking pool that fails fast.

Callers pass their own sizes and timeouts when their traffic differs; the defaults suit a
store on the request path (one small script or lookup per request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis

MAX_CONNECTIONS = 64  # per process; a request holds one for one round trip
POOL_TIMEOUT_S = 0.5  # waiting for a free connection before counting Redis as down
SOCKET_TIMEOUT_S = 0.5  # one script step takes well under a millisecond (bench/limits.py)
CONNECT_TIMEOUT_S = 0.25  # loopback or same-zone Redis; longer means it is down


def connect(
    redis_url: str,
    *,
    max_connections: int = MAX_CONNECTIONS,
    pool_timeout_s: float = POOL_TIMEOUT_S,
    socket_timeout_s: float = SOCKET_TIMEOUT_S,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
    protocol: int | None = None,  # None: redis-py's default, RESP2
) -> Redis:
    """An asyncio client (close it with ``await client.aclose()``, which closes the pool too).

    BlockingConnectionPool makes a burst past ``max_connections`` wait up to
    ``pool_timeout_s`` instead of raising at once, as the plain ConnectionPool does; the
    IdleClosingPool built on it closes what a burst opened once it has been idle a while.
    """
    # Imported here: a gateway without Redis never loads redis-py's asyncio client.
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    from .idle_closing_pool import IdleClosingPool

    # One retry without back-off replaces a pooled connection that died with a Redis
    # restart; redis-py's default retries (exponential back-off) would hold a request for
    # seconds while Redis is down, where every store should give up and answer without it.
    pool = IdleClosingPool.from_url(
        redis_url,
        max_connections=max_connections,
        timeout=pool_timeout_s,
        socket_timeout=socket_timeout_s,
        socket_connect_timeout=connect_timeout_s,
        retry=Retry(NoBackoff(), 1),
        protocol=protocol,
    )
    return Redis.from_pool(pool)
