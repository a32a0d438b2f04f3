"""Per-key rate limits: a request bucket (RPM) and a token bucket (TPM) for every key.

- ``policy``: ``KeyLimits`` and the ``Bucket`` each limit becomes (capacity = the per-minute
  limit, refilled at limit/60 per second, GCRA).
- ``admission``: the ``Limiter`` protocol and the ``Admission`` it grants.
- ``local``: ``LocalLimiter``, the Rust core's keyed buckets, for one process.
- ``redis_limiter``: ``RedisLimiter``, Redis holds the truth for many instances; small leases
  save round trips, with a documented overshoot bound.
- ``open_limiter``: picks one from the config.

This package imports nothing heavy; redis is imported by the modules that need it.
"""

from ferrogate.limits.admission import Admission, Limiter
from ferrogate.limits.policy import KeyLimits

__all__ = ["Admission", "KeyLimits", "Limiter"]
