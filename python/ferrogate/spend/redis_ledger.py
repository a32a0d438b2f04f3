"""Spend totals in Redis, shared by every instance; each hold is one atomic Lua call.

One hash per key and period, `ferrogate:spend:{<key_id>}:<period_start>` (`lifetime`
without a period), with `spent` and `held` in micro-dollars. The braces keep a key's
hashes in one Redis Cluster slot. A period's hash expires an hour after the period ends.

While Redis is unreachable, `limits.redis_policy` decides: fail-open holds against the
local ledger (this machine's spend only, so the budget is enforced per machine for the
outage) and logs at most every 30 s; fail-closed refuses with 503. Settles never fail:
one that cannot reach Redis is recorded locally and queued, and the queue is replayed
into Redis by the first call that finds it reachable again.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from ferrogate.errors import ServiceUnavailable
from ferrogate.spend.ledger import (
    BudgetHold,
    period_start,
    refusal,
    seconds_to_keep,
    to_micros,
    to_usd,
)
from ferrogate.spend.local_ledger import LocalSpendLedger

log = logging.getLogger("ferrogate.spend")

_LOG_INTERVAL_S = 30.0
_PENDING_LIMIT = 10_000  # settles waiting for Redis; past it the oldest are dropped, logged
_SOCKET_TIMEOUT_S = 0.5  # a hold is one small script; longer means Redis is in trouble
_CONNECT_TIMEOUT_S = 0.25

# ARGV: cost, budget, seconds to keep (0: for ever). Returns {claimed 0/1, spent}.
_HOLD = """
local totals = redis.call('HMGET', KEYS[1], 'spent', 'held')
local spent = tonumber(totals[1] or '0')
local held = tonumber(totals[2] or '0')
if spent + held + tonumber(ARGV[1]) > tonumber(ARGV[2]) then
  return {0, totals[1] or '0'}
end
redis.call('HINCRBY', KEYS[1], 'held', ARGV[1])
if ARGV[3] ~= '0' then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return {1, totals[1] or '0'}
"""

# ARGV: held to release, actual to charge, seconds to keep (0: for ever).
_SETTLE = """
local held = tonumber(redis.call('HGET', KEYS[1], 'held') or '0')
local release = math.min(tonumber(ARGV[1]), held)
if release > 0 then
  redis.call('HINCRBY', KEYS[1], 'held', string.format('%d', -release))
end
redis.call('HINCRBY', KEYS[1], 'spent', ARGV[2])
if ARGV[3] ~= '0' then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return 1
"""


@dataclass(frozen=True)
class _PendingSettle:
    hold: BudgetHold  # held_usd 0 for spend that a local hold already released
    actual_usd: float


class RedisSpendLedger:
    def __init__(
        self,
        redis_url: str,
        *,
        fallback: LocalSpendLedger,
        policy: Literal["fail-open", "fail-closed"] = "fail-open",
        clock: Callable[[], float] = time.time,
    ):
        pool = BlockingConnectionPool.from_url(
            redis_url,
            max_connections=32,
            timeout=_SOCKET_TIMEOUT_S,
            socket_timeout=_SOCKET_TIMEOUT_S,
            socket_connect_timeout=_CONNECT_TIMEOUT_S,
            retry=Retry(NoBackoff(), 1),  # replaces a connection a Redis restart closed
        )
        self._redis = Redis.from_pool(pool)
        self._hold_script = self._redis.register_script(_HOLD)
        self._settle_script = self._redis.register_script(_SETTLE)
        self._fallback = fallback
        self._policy = policy
        self._clock = clock
        self._pending: deque[_PendingSettle] = deque()
        self._failures = 0
        self._logged_at = float("-inf")

    async def hold(
        self, key_id: str, budget_usd: float | None, period_s: float | None, cost_usd: float
    ) -> BudgetHold:
        now = self._clock()
        unclaimed = BudgetHold(key_id, period_start(now, period_s), 0.0, period_s)
        if budget_usd is None:
            return unclaimed  # nothing to guard, so no round trip; the settle records
        cost = to_micros(cost_usd)
        try:
            await self._replay_pending()
            claimed, spent = await self._hold_script(
                keys=[_hash_key(unclaimed)],
                args=[cost, to_micros(budget_usd), _keep_arg(unclaimed, now)],
            )
        except RedisError as exc:
            self._unavailable(exc)
            if self._policy == "fail-closed":
                raise ServiceUnavailable(
                    "Budgets cannot be checked right now (spend store unreachable)."
                ) from exc
            local_hold = await self._fallback.hold(key_id, budget_usd, period_s, cost_usd)
            return replace(local_hold, local=True)
        if not claimed:
            raise refusal(int(spent), budget_usd, period_s)
        return replace(unclaimed, held_usd=to_usd(cost))

    async def settle(self, hold: BudgetHold, actual_usd: float) -> None:
        if hold.local:
            # The local ledger released its own hold; Redis still has to learn the spend.
            await self._fallback.settle(hold, actual_usd)
            hold = replace(hold, held_usd=0.0, local=False)
        try:
            await self._replay_pending()
            await self._settle_in_redis(_PendingSettle(hold, actual_usd))
        except RedisError as exc:
            self._unavailable(exc)
            self._queue(_PendingSettle(hold, actual_usd))

    async def spent(self, key_id: str, period_s: float | None) -> float:
        hold = BudgetHold(key_id, period_start(self._clock(), period_s), 0.0, period_s)
        try:
            micros = await self._redis.hget(_hash_key(hold), "spent")
        except RedisError as exc:
            self._unavailable(exc)
            if self._policy == "fail-closed":
                raise ServiceUnavailable("Spend cannot be read right now.") from exc
            return await self._fallback.spent(key_id, period_s)
        return to_usd(int(micros or 0))

    async def aclose(self) -> None:
        await self._redis.aclose()
        await self._fallback.aclose()

    async def _settle_in_redis(self, pending: _PendingSettle) -> None:
        hold = pending.hold
        await self._settle_script(
            keys=[_hash_key(hold)],
            args=[
                to_micros(hold.held_usd),
                to_micros(pending.actual_usd),
                _keep_arg(hold, self._clock()),
            ],
        )

    async def _replay_pending(self) -> None:
        while self._pending:
            await self._settle_in_redis(self._pending[0])
            self._pending.popleft()  # only once Redis took it, so a failure keeps it queued

    def _queue(self, pending: _PendingSettle) -> None:
        if len(self._pending) >= _PENDING_LIMIT:
            dropped = self._pending.popleft()
            log.warning(
                "Spend of $%.6f for key %s lost: Redis unreachable for too long",
                dropped.actual_usd,
                dropped.hold.key_id,
            )
        self._pending.append(pending)

    def _unavailable(self, exc: RedisError) -> None:
        self._failures += 1
        now = time.monotonic()
        if now - self._logged_at >= _LOG_INTERVAL_S:
            self._logged_at = now
            log.warning(
                "Spend store (Redis) unreachable, policy %s (%d failures so far): %s",
                self._policy,
                self._failures,
                exc,
            )


def _hash_key(hold: BudgetHold) -> str:
    period = "lifetime" if hold.period_s is None else str(int(hold.period_start))
    return f"ferrogate:spend:{{{hold.key_id}}}:{period}"


def _keep_arg(hold: BudgetHold, now: float) -> int:
    keep = seconds_to_keep(hold, now)
    return 0 if keep is None else max(1, int(keep))
