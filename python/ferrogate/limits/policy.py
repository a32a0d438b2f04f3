"""What a key may use, and the GCRA bucket each of its limits becomes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, NamedTuple

BucketKind = Literal["requests", "tokens"]

# NOTE: Bucket and Reading are named tuples because several are made per admission: that
# took LocalLimiter.admit from 11.5 µs (frozen dataclasses) to about 7 µs.


@dataclass(frozen=True)
class KeyLimits:
    """A key's limits per minute; ``None`` means unlimited (no bucket, no headers)."""

    key_id: str
    rpm: int | None
    tpm: int | None


class Bucket(NamedTuple):
    """One limit as a bucket holding ``limit`` and refilling ``limit`` per minute."""

    kind: BucketKind
    limit: int

    @property
    def rate(self) -> float:
        return self.limit / 60.0

    @property
    def burst(self) -> float:
        return float(self.limit)

    def seconds_to_full(self, remaining: float) -> float:
        if self.limit <= 0:  # never refills: reads as full
            return 0.0
        return max(self.burst - remaining, 0.0) / self.rate


def buckets_of(limits: KeyLimits) -> tuple[Bucket | None, Bucket | None]:
    """The (requests, tokens) buckets of ``limits``; ``None`` for an unlimited one."""
    requests = Bucket("requests", limits.rpm) if limits.rpm is not None else None
    tokens = Bucket("tokens", limits.tpm) if limits.tpm is not None else None
    return requests, tokens


def whole(remaining: float) -> int:
    """Whole tokens left; the epsilon absorbs float noise such as 99.99999999999997."""
    return math.floor(remaining + 1e-6)


class Reading(NamedTuple):
    """A bucket's state as a client sees it: what is left and when it is full again."""

    bucket: Bucket
    remaining: float
    reset_s: float
