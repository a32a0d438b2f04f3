"""Limits for one process: the Rust core's keyed GCRA buckets on a monotonic clock."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ferrogate.core import KeyedLimiter
from ferrogate.limits.admission import Admission
from ferrogate.limits.openai_headers import rate_limit_headers
from ferrogate.limits.policy import Bucket, KeyLimits, Reading, buckets_of, whole
from ferrogate.limits.refusal import refusal

DEFAULT_MAX_KEYS = 100_000  # buckets kept; a full (idle) bucket is never stored anyway


class LocalLimiter:
    """Admits against in-memory buckets; nothing is shared with other processes."""

    def __init__(
        self, max_keys: int = DEFAULT_MAX_KEYS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._buckets = KeyedLimiter(max_keys)
        self._clock = clock

    async def admit(self, limits: KeyLimits, tokens: int) -> Admission:
        now = self._clock()
        readings: list[Reading] = []
        for bucket, cost in zip(buckets_of(limits), (1, tokens), strict=True):
            if bucket is None:
                continue
            allowed, retry_after, remaining = self._try(limits.key_id, bucket, cost, now)
            if not allowed:
                for taken in readings:  # both or neither: give the request back
                    self._adjust(limits.key_id, taken.bucket, -1.0, now)
                raise refusal(bucket, remaining, cost, retry_after, self._readings(limits, now))
            readings.append(Reading(bucket, remaining, bucket.seconds_to_full(remaining)))
        headers = rate_limit_headers(readings)
        return Admission(limits.key_id, tokens, headers, limits, "local")

    def settle(self, admission: Admission, used_tokens: int) -> None:
        limits = admission.limits
        delta = used_tokens - admission.reserved_tokens
        admission.reserved_tokens = used_tokens  # a second settle moves only the difference
        if limits is None or limits.tpm is None or limits.tpm <= 0 or delta == 0:
            return
        self._adjust(limits.key_id, Bucket("tokens", limits.tpm), float(delta), self._clock())

    async def usage(self, limits: KeyLimits) -> dict:
        readings = {r.bucket.kind: r.remaining for r in self._readings(limits, self._clock())}
        requests, tokens = readings.get("requests"), readings.get("tokens")
        return {
            "requests_remaining": None if requests is None else whole(requests),
            "tokens_remaining": None if tokens is None else whole(tokens),
        }

    async def aclose(self) -> None:
        return None

    def _try(self, key_id: str, bucket: Bucket, cost: int, now: float) -> tuple:
        if bucket.limit <= 0:  # a zero limit admits nothing, ever
            return False, math.inf, 0.0
        bucket_id = _bucket_id(key_id, bucket)
        return self._buckets.try_acquire(bucket_id, bucket.rate, bucket.burst, float(cost), now)

    def _adjust(self, key_id: str, bucket: Bucket, delta: float, now: float) -> None:
        self._buckets.adjust(_bucket_id(key_id, bucket), bucket.rate, bucket.burst, delta, now)

    def _readings(self, limits: KeyLimits, now: float) -> list[Reading]:
        readings = []
        for bucket in buckets_of(limits):
            if bucket is not None:  # taking nothing reads a bucket without changing it
                _, _, remaining = self._try(limits.key_id, bucket, 0, now)
                readings.append(Reading(bucket, remaining, bucket.seconds_to_full(remaining)))
        return readings


def _bucket_id(key_id: str, bucket: Bucket) -> str:
    # The kind goes first so no key id can spell another key's bucket.
    return f"{bucket.kind}:{key_id}"
