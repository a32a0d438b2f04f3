"""The limiter a gateway runs with: Redis-backed when a Redis URL is configured."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ferrogate.limits.local import LocalLimiter

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from ferrogate.config.schema import LimitsConfig
    from ferrogate.limits.admission import Limiter

MAX_CONNECTIONS = 64  # per process; an admission holds one for one round trip
POOL_TIMEOUT_S = 0.5  # waiting for a free connection before counting Redis as down
SOCKET_TIMEOUT_S = 0.5  # one script step takes well under a millisecond (bench/limits.py)
CONNECT_TIMEOUT_S = 0.25  # loopback or same-zone Redis; longer means it is down


def open_limiter(limits_config: LimitsConfig, redis_url: str | None) -> Limiter:
    if redis_url is None:
        return LocalLimiter()
    from ferrogate.limits.redis_limiter import RedisLimiter

    return RedisLimiter(
        connect(redis_url),
        policy=limits_config.redis_policy,
        lease_fraction=limits_config.lease_fraction,
    )


def connect(redis_url: str) -> Redis:
    """A client that fails fast: a limiter must answer quickly, with Redis or without it."""
    from redis.asyncio import BlockingConnectionPool, Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    # One retry without back-off replaces a pooled connection that died with a Redis
    # restart; redis-py's default retries would hold a request for seconds while it is down.
    pool = BlockingConnectionPool.from_url(
        redis_url,
        max_connections=MAX_CONNECTIONS,
        timeout=POOL_TIMEOUT_S,
        socket_timeout=SOCKET_TIMEOUT_S,
        socket_connect_timeout=CONNECT_TIMEOUT_S,
        retry=Retry(NoBackoff(), 1),
    )
    return Redis.from_pool(pool)  # aclose() closes the pool too
