"""Spend shared by every instance through Redis, written behind (see `write_behind`).

While Redis is unreachable, `limits.redis_policy` decides for the holds that need it (near
the budget, or once a failed flush, at most one flush interval into the outage, has made the
key's totals stale): fail-open holds against the
local ledger (this machine's spend only, so the budget is enforced per machine for the
outage) and logs at most every 30 s; fail-closed refuses with 503. Settles never fail: what
Redis has not taken stays pending and goes with the first exchange that reaches it again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Literal

from ferrogate.errors import ServiceUnavailable
from ferrogate.shared_state.back_off import REDIS_ERRORS
from ferrogate.spend.ledger import BudgetHold
from ferrogate.spend.local_ledger import LocalSpendLedger
from ferrogate.spend.redis_store import RedisSpendStore
from ferrogate.spend.write_behind import WriteBehindLedger

log = logging.getLogger("ferrogate.spend")

_LOG_INTERVAL_S = 30.0


class RedisSpendLedger(WriteBehindLedger):
    def __init__(
        self,
        redis_url: str,
        *,
        fallback: LocalSpendLedger,
        policy: Literal["fail-open", "fail-closed"] = "fail-open",
        clock: Callable[[], float] = time.time,
        **tuning: float,
    ):
        super().__init__(RedisSpendStore(redis_url), clock=clock, **tuning)
        self._fallback = fallback
        self._policy = policy
        self._failures = 0
        self._warned_at = float("-inf")

    async def hold(
        self, key_id: str, budget_usd: float | None, period_s: float | None, cost_usd: float
    ) -> BudgetHold:
        try:
            return await super().hold(key_id, budget_usd, period_s, cost_usd)
        except REDIS_ERRORS as exc:
            self._unavailable(exc)
            if self._policy == "fail-closed":
                raise ServiceUnavailable(
                    "Budgets cannot be checked right now (spend store unreachable)."
                ) from exc
        local_hold = await self._fallback.hold(key_id, budget_usd, period_s, cost_usd)
        return replace(local_hold, local=True)

    def settle(self, hold: BudgetHold, actual_usd: float) -> None:
        if hold.local:
            # The local ledger releases its own hold; Redis still has to learn the spend.
            self._fallback.settle(hold, actual_usd)
            hold = replace(hold, held_usd=0.0, local=False)
        super().settle(hold, actual_usd)

    async def spent(self, key_id: str, period_s: float | None) -> float:
        try:
            return await super().spent(key_id, period_s)
        except REDIS_ERRORS as exc:
            self._unavailable(exc)
            if self._policy == "fail-closed":
                raise ServiceUnavailable("Spend cannot be read right now.") from exc
        return await self._fallback.spent(key_id, period_s)

    async def aclose(self) -> None:
        await super().aclose()
        await self._fallback.aclose()

    def _flush_failed(self, exc: Exception) -> None:
        if isinstance(exc, REDIS_ERRORS):
            self._unavailable(exc)
        else:
            super()._flush_failed(exc)

    def _unavailable(self, exc: Exception) -> None:
        self._failures += 1
        now = time.monotonic()
        if now - self._warned_at >= _LOG_INTERVAL_S:
            self._warned_at = now
            log.warning(
                "Spend store (Redis) unreachable, policy %s (%d failures so far): %s",
                self._policy,
                self._failures,
                exc,
            )
