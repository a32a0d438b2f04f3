"""What one instance holds for a key between Redis round trips: a lease and unsent settlements.

A lease is requests and tokens already taken from the bucket in Redis, spent here without a
round trip until it runs out or expires. Settlements (the difference between tokens used and
reserved) wait here too and reach Redis with the next step for the key, or with the sweep
that returns expired leases.
"""

from __future__ import annotations

from dataclasses import dataclass

from ferrogate.limits.policy import KeyLimits


@dataclass
class Lease:
    requests: int
    tokens: int
    expires_at: float  # on the instance's monotonic clock
    # What Redis still held after granting the lease, for the headers of leased admissions.
    requests_in_redis: float
    tokens_in_redis: float

    def covers(self, limits: KeyLimits, tokens: int, now: float) -> bool:
        return (
            now < self.expires_at
            and (limits.rpm is None or self.requests >= 1)
            and (limits.tpm is None or self.tokens >= tokens)
        )


@dataclass
class KeyHold:
    """An instance's lease and pending settlements for one key."""

    limits: KeyLimits  # the latest seen: flushes use its rates
    lease: Lease | None = None
    leasing: bool = False  # a step asking for a lease is in flight
    pending_requests: float = 0.0
    pending_tokens: float = 0.0

    def spend(self, limits: KeyLimits, tokens: int) -> Lease:
        lease = self.lease
        assert lease is not None
        if limits.rpm is not None:
            lease.requests -= 1
        if limits.tpm is not None:
            lease.tokens -= tokens
        return lease

    def settle(self, delta: int) -> None:
        """Pay a charge from the lease where it can (those tokens are taken already); keep
        the rest to send."""
        if delta > 0 and self.lease is not None:
            paid = min(delta, self.lease.tokens)
            self.lease.tokens -= paid
            delta -= paid
        self.pending_tokens += delta

    def take_deltas(self, *, return_lease: bool) -> tuple[float, float]:
        """The (requests, tokens) deltas to send now: settlements, and the lease's unspent
        part when it is returned."""
        requests, tokens = self.pending_requests, self.pending_tokens
        self.pending_requests = self.pending_tokens = 0.0
        if return_lease and self.lease is not None:
            requests -= self.lease.requests
            tokens -= self.lease.tokens
            self.lease = None
        return requests, tokens

    def keep_deltas(self, requests: float, tokens: float) -> None:
        """Deltas that did not reach Redis, to send later.

        NOTE: a step that failed may still have run; sending its deltas again then refunds
        or charges twice, which only ever makes the limits stricter for a moment.
        """
        self.pending_requests += requests
        self.pending_tokens += tokens

    def due(self, now: float) -> bool:
        """Has something to send: a settlement, or an expired lease to return."""
        expired = self.lease is not None and now >= self.lease.expires_at
        return expired or self.pending_requests != 0 or self.pending_tokens != 0

    def idle(self) -> bool:
        return self.lease is None and not self.leasing and not self.due(float("-inf"))
