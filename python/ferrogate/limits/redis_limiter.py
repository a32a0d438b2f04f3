"""Limits shared by every instance: Redis holds the buckets, instances lease small batches.

Each admission either spends this instance's lease for the key, or runs one atomic step in
Redis (``gcra_script``) that takes the request's cost, returns the old lease's unspent part,
sends pending settlements and, while the bucket holds more than ``plenty_leases`` leases'
worth, takes a new lease of ``max(1, floor(limit * lease_fraction))`` for each bucket. Near
empty, every admission goes to Redis. A lease expires after ``lease_ttl_s``; a sweep every
``lease_ttl_s`` gives its unspent part back to Redis and sends settlements, unless the key's
next step has taken them along already.

Overshoot bound. Leases are taken from the bucket in Redis before they are spent, so the
bucket counts every admission, leased or not, and Redis never admits more than GCRA allows:
over any window of ``t`` seconds, what is taken from a key's bucket, net of what is given
back, is at most ``capacity + rate * t``. What is admitted in the window can exceed that only
by leases taken before the window and spent in it, and an instance holds at most one lease
per bucket of a key. So for every window::

    admitted <= limit + (limit / 60) * t + instances * lease

with ``lease = max(1, floor(limit * lease_fraction))``: with the default fraction 0.002 that
is 0.2% of the limit per instance (at least one request or token). A window starting from a
full bucket, as in ``tests/limits/test_accuracy.py``, has no earlier leases and stays within
``limit + rate * t``. Token counts are reservations; settlements move the bucket to real
usage afterwards (a charge may push it into debt, which later requests wait out), and a
charge that has not reached Redis yet (at most ``lease_ttl_s`` old) is not counted there.

Redis unreachable: ``fail-open`` admits under this instance's ``LocalLimiter``, warning at
most every 30 s; ``fail-closed`` raises ``ServiceUnavailable``. After a failure Redis is left
alone for ``back_off_s``; the first call after that tries it again, so recovery needs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable

from redis.asyncio import Redis

from ferrogate.errors import ServiceUnavailable
from ferrogate.limits.admission import Admission
from ferrogate.limits.gcra_script import BucketArgs, GcraScript, StepReply
from ferrogate.limits.lease import KeyHold, Lease
from ferrogate.limits.local import LocalLimiter
from ferrogate.limits.openai_headers import rate_limit_headers
from ferrogate.limits.policy import KeyLimits, Reading, buckets_of, whole
from ferrogate.limits.refusal import refusal
from ferrogate.shared_state.back_off import REDIS_ERRORS, RedisBackOff

log = logging.getLogger("ferrogate.limits")
UNAVAILABLE = "Rate limiting is unavailable: its Redis store cannot be reached."


class RedisLimiter:
    def __init__(
        self,
        redis: Redis,
        *,
        policy: str = "fail-open",
        lease_fraction: float = 0.002,
        lease_ttl_s: float = 1.0,
        plenty_leases: int = 20,
        back_off_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._script = GcraScript(redis, plenty_leases)
        self._policy = policy
        self._lease_fraction = lease_fraction
        self._lease_ttl_s = lease_ttl_s
        self._clock = clock
        meanwhile = "local limits only" if policy == "fail-open" else "answering 503"
        self._outage = RedisBackOff(
            log, "rate limits", meanwhile, back_off_s=back_off_s, clock=clock
        )
        self._fallback = LocalLimiter(clock=clock)
        self._holds: dict[str, KeyHold] = {}
        self._sweeper: asyncio.Task[None] | None = None

    async def admit(self, limits: KeyLimits, tokens: int) -> Admission:
        requests, token_bucket = buckets_of(limits)
        if requests is None and token_bucket is None:
            return Admission(limits.key_id, tokens, [], limits, "redis")
        if any(bucket is not None and bucket.limit <= 0 for bucket in (requests, token_bucket)):
            return await self._fallback.admit(limits, tokens)  # refuses; no state needed
        hold = self._holds.get(limits.key_id)
        if hold and hold.lease and hold.lease.covers(limits, tokens, self._clock()):
            return _leased_admission(limits, tokens, hold.spend(limits, tokens))
        if self._outage.skipping():
            return await self._without_redis(limits, tokens)
        return await self._admit_in_redis(limits, tokens)

    def settle(self, admission: Admission, used_tokens: int) -> None:
        if admission.origin == "local":
            self._fallback.settle(admission, used_tokens)
            return
        limits = admission.limits
        delta = used_tokens - admission.reserved_tokens
        admission.reserved_tokens = used_tokens  # a second settle moves only the difference
        if limits is None or limits.tpm is None or delta == 0:
            return
        self._hold(limits).settle(delta)
        self._start_sweeper()

    async def usage(self, limits: KeyLimits) -> dict:
        requests, tokens = buckets_of(limits)
        if requests is None and tokens is None:
            return {"requests_remaining": None, "tokens_remaining": None}
        if not self._outage.skipping():
            try:
                return await self._usage_in_redis(limits)
            except REDIS_ERRORS as error:
                self._outage.failed(error)
        if self._policy == "fail-closed":
            raise ServiceUnavailable(UNAVAILABLE)
        return await self._fallback.usage(limits)

    async def aclose(self) -> None:
        """Return every lease and send every settlement, then close the connection pool."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        if self._holds and not self._outage.skipping():
            await self._flush(list(self._holds.values()), return_leases=True)
        await self._redis.aclose()

    async def _admit_in_redis(self, limits: KeyLimits, tokens: int) -> Admission:
        hold = self._hold(limits)
        req_delta, tok_delta = hold.take_deltas(return_lease=True)
        lease_req, lease_tok = (0, 0) if hold.leasing else self._lease_sizes(limits)
        asked = lease_req > 0 or lease_tok > 0
        hold.leasing = hold.leasing or asked
        try:
            reply = await self._script.step(
                limits.key_id,
                BucketArgs(limits.rpm or 0, 1, req_delta, lease_req),
                BucketArgs(limits.tpm or 0, tokens, tok_delta, lease_tok),
            )
        except REDIS_ERRORS as error:
            self._hold(limits).keep_deltas(req_delta, tok_delta)
            self._start_sweeper()
            self._outage.failed(error)
            return await self._without_redis(limits, tokens)
        finally:
            if asked:
                hold.leasing = False
        self._outage.succeeded()
        self._keep_lease(hold, reply)
        readings = _readings(limits, reply)
        if reply.refused is not None:
            bucket = next(r for r in readings if r.bucket.kind == reply.refused)
            cost = 1 if reply.refused == "requests" else tokens
            raise refusal(bucket.bucket, bucket.remaining, cost, reply.retry_after_s, readings)
        return Admission(limits.key_id, tokens, rate_limit_headers(readings), limits, "redis")

    async def _without_redis(self, limits: KeyLimits, tokens: int) -> Admission:
        if self._policy == "fail-closed":
            raise ServiceUnavailable(UNAVAILABLE)
        return await self._fallback.admit(limits, tokens)

    async def _usage_in_redis(self, limits: KeyLimits) -> dict:
        hold = self._holds.get(limits.key_id)
        req_delta, tok_delta = hold.take_deltas(return_lease=False) if hold else (0.0, 0.0)
        try:
            reply = await self._script.step(
                limits.key_id,
                BucketArgs(limits.rpm or 0, 0, req_delta),
                BucketArgs(limits.tpm or 0, 0, tok_delta),
            )
        except REDIS_ERRORS:
            if hold is not None:
                self._hold(limits).keep_deltas(req_delta, tok_delta)
            raise
        self._outage.succeeded()
        lease = hold.lease if hold is not None else None
        requests = reply.requests.remaining + (lease.requests if lease else 0)
        tokens = reply.tokens.remaining + (lease.tokens if lease else 0)
        return {
            "requests_remaining": None if limits.rpm is None else whole(requests),
            "tokens_remaining": None if limits.tpm is None else whole(tokens),
        }

    def _hold(self, limits: KeyLimits) -> KeyHold:
        hold = self._holds.get(limits.key_id)
        if hold is None:
            hold = self._holds[limits.key_id] = KeyHold(limits)
        hold.limits = limits
        return hold

    def _lease_sizes(self, limits: KeyLimits) -> tuple[int, int]:
        if self._lease_fraction <= 0:
            return 0, 0
        sizes = [max(1, math.floor(limit * self._lease_fraction)) if limit else 0
                 for limit in (limits.rpm, limits.tpm)]  # fmt: skip
        return sizes[0], sizes[1]

    def _keep_lease(self, hold: KeyHold, reply: StepReply) -> None:
        granted_req, granted_tok = reply.requests.lease_granted, reply.tokens.lease_granted
        if granted_req or granted_tok:
            expires_at = self._clock() + self._lease_ttl_s
            hold.lease = Lease(granted_req, granted_tok, expires_at,
                               reply.requests.remaining, reply.tokens.remaining)  # fmt: skip
            self._start_sweeper()
        else:
            self._forget_if_idle(hold)

    def _forget_if_idle(self, hold: KeyHold) -> None:
        key_id = hold.limits.key_id
        if hold.idle() and self._holds.get(key_id) is hold:
            del self._holds[key_id]

    def _start_sweeper(self) -> None:
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    async def _sweep(self) -> None:
        """Every ``lease_ttl_s`` while anything is held: return expired leases, send
        settlements, forget idle keys."""
        while self._holds:
            await asyncio.sleep(self._lease_ttl_s)
            if self._outage.skipping():
                continue
            now = self._clock()
            await self._flush([h for h in self._holds.values() if h.due(now)], now=now)
            for hold in list(self._holds.values()):
                self._forget_if_idle(hold)

    async def _flush(
        self, holds: list[KeyHold], *, now: float | None = None, return_leases: bool = False
    ) -> None:
        """Send ``holds``' settlements (and their expired leases, or all with
        ``return_leases``) in one pipeline."""
        if not holds:
            return
        sent = []
        async with self._redis.pipeline(transaction=False) as pipe:
            for hold in holds:
                expired = hold.lease is not None and now is not None
                expired = expired and now >= hold.lease.expires_at
                req_delta, tok_delta = hold.take_deltas(return_lease=return_leases or expired)
                sent.append((hold, req_delta, tok_delta))
                limits = hold.limits
                await self._script.step(
                    limits.key_id,
                    BucketArgs(limits.rpm or 0, 0, req_delta),
                    BucketArgs(limits.tpm or 0, 0, tok_delta),
                    pipe,
                )
            try:
                await pipe.execute()
            except BaseException as error:  # cancelled too: keep what was not sent
                for hold, req_delta, tok_delta in sent:
                    self._hold(hold.limits).keep_deltas(req_delta, tok_delta)
                if not isinstance(error, REDIS_ERRORS):
                    raise
                self._outage.failed(error)
                return
        self._outage.succeeded()


def _readings(limits: KeyLimits, reply: StepReply) -> list[Reading]:
    """Readings for the headers; a lease just granted still counts as remaining here."""
    readings = []
    for bucket, step in zip(buckets_of(limits), (reply.requests, reply.tokens), strict=True):
        if bucket is not None:
            remaining = step.remaining + step.lease_granted
            seconds_to_full = max(step.seconds_to_full - step.lease_granted / bucket.rate, 0.0)
            readings.append(Reading(bucket, remaining, seconds_to_full))
    return readings


def _leased_admission(limits: KeyLimits, tokens: int, lease: Lease) -> Admission:
    readings = []
    for bucket, remaining in zip(
        buckets_of(limits),
        (lease.requests_in_redis + lease.requests, lease.tokens_in_redis + lease.tokens),
        strict=True,
    ):
        if bucket is not None:
            readings.append(Reading(bucket, remaining, bucket.seconds_to_full(remaining)))
    return Admission(limits.key_id, tokens, rate_limit_headers(readings), limits, "redis")
