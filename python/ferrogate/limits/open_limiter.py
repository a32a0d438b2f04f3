"""The limiter a gateway runs with: Redis-backed when a Redis URL is configured."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ferrogate.limits.local import LocalLimiter

# The shared fail-fast client: its defaults are the limiter's (an admission holds one
# connection for one round trip; a limiter must answer quickly, with Redis or without it).
from ferrogate.shared_state.redis_client import connect

if TYPE_CHECKING:
    from ferrogate.config.schema import LimitsConfig
    from ferrogate.limits.admission import Limiter

__all__ = ["connect", "open_limiter"]


def open_limiter(limits_config: LimitsConfig, redis_url: str | None) -> Limiter:
    if redis_url is None:
        return LocalLimiter()
    from ferrogate.limits.redis_limiter import RedisLimiter

    return RedisLimiter(
        connect(redis_url),
        policy=limits_config.redis_policy,
        lease_fraction=limits_config.lease_fraction,
    )
