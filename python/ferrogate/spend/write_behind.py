"""Budgets decided in memory while far from spent; the store is written behind, in batches.

Every process keeps, per key and period, a `Tally`: the store's last known total (spent +
held) and what it has added since. A hold is decided in memory when the tally was read
within `stale_after_s`, and, with `A = floor(budget * allowance_fraction)` (the allowance):

    unconfirmed + cost <= A   and   known + unconfirmed + cost <= budget - A

where `unconfirmed` is what this process added (holds, releases, spend) that the store has
not confirmed yet. Otherwise the hold is one atomic store call that first applies this
process's unconfirmed change, then checks and claims (the old synchronous path). Settles only
change memory. A flusher task per ledger (started on first use) sends every tally's change
and reads every total back in one store call every `flush_interval_s`, sooner when a tally
has used half its allowance; that is also how other processes' spend becomes visible.

Overshoot bound. Let N be the processes (workers times instances) sharing the store. A
store-side claim sees everything but the other processes' unconfirmed changes, and each
process keeps its unconfirmed change at most A (an in-memory hold needs it). So, per key
and period, what is claimed (spent + held, counting unconfirmed changes) never exceeds

    budget + (N - 1) * A          (A = 1% of the budget by default)

whatever the flush interval and staleness: those only decide how soon other processes'
spend is seen, hence how often holds near the budget go to the store. Within one process
(N = 1) the budget is exact. As before, a settle charges what a request really cost even
past its hold, so spend itself can pass the budget by what running requests overrun.

Costs: the request path touches the store only for the first hold of a key in a process,
near the budget, after a store outage made the tally stale, or for costs above A. Holds
that do go to the store are serialized per key and period (one exchange in flight per
tally), so replies never overtake each other. Idle tallies are forgotten after a while.
A failed flush keeps its changes pending and marks the tallies it carried stale, so a store
outage reaches the request path (and the store's outage policy) within one flush interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from ferrogate.spend.ledger import (
    BudgetHold,
    period_start,
    refusal,
    seconds_to_keep,
    to_micros,
    to_usd,
)
from ferrogate.spend.store import SpendStore
from ferrogate.spend.tally import Reading, Slot, Tally

log = logging.getLogger("ferrogate.spend")
T = TypeVar("T")

_IDLE_AFTER_S = 30.0  # a tally unused this long, with nothing to send, is dropped
_LOG_INTERVAL_S = 30.0


class WriteBehindLedger:
    def __init__(
        self,
        store: SpendStore,
        *,
        clock: Callable[[], float] = time.time,
        allowance_fraction: float = 0.01,
        flush_interval_s: float = 0.1,
        stale_after_s: float = 1.0,
    ):
        self._store = store
        self._clock = clock  # wall time: which period a request falls in
        self._fraction = allowance_fraction
        self._interval = flush_interval_s
        self._stale_after = stale_after_s
        self._tallies: dict[Slot, Tally] = {}
        self._flusher: asyncio.Task | None = None
        self._flusher_loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._closing = False
        self._logged_at = float("-inf")

    async def hold(
        self, key_id: str, budget_usd: float | None, period_s: float | None, cost_usd: float
    ) -> BudgetHold:
        start = period_start(self._clock(), period_s)
        if budget_usd is None:
            return BudgetHold(key_id, start, 0.0, period_s)  # nothing to guard; settle records
        slot = Slot(key_id, start, period_s)
        tally = self._tally(slot)
        cost, budget = to_micros(cost_usd), to_micros(budget_usd)
        allowance = int(budget * self._fraction)
        unconfirmed = tally.unconfirmed() + cost
        if (
            unconfirmed <= allowance
            and tally.known + unconfirmed <= budget - allowance
            and time.monotonic() - tally.refreshed_at <= self._stale_after
        ):
            tally.pending_held += cost
            if unconfirmed > allowance // 2:
                self._wake.set()  # refill the allowance before it runs out
            return BudgetHold(key_id, start, to_usd(cost), period_s)
        claimed, reading = await _shielded(self._exchange(slot, tally, cost, budget))
        if not claimed:
            raise refusal(reading.spent, budget_usd, period_s)
        return BudgetHold(key_id, start, to_usd(cost), period_s)

    def settle(self, hold: BudgetHold, actual_usd: float) -> None:
        tally = self._tally(Slot(hold.key_id, hold.period_start, hold.period_s))
        tally.pending_held -= to_micros(hold.held_usd)
        tally.pending_spent += to_micros(actual_usd)

    async def spent(self, key_id: str, period_s: float | None) -> float:
        """The store's figure, with this process's spend sent first (so it includes it)."""
        slot = Slot(key_id, period_start(self._clock(), period_s), period_s)
        tally = self._tally(slot)
        await _shielded(self._exchange(slot, tally, None, 0))
        return to_usd(tally.spent())

    async def aclose(self) -> None:
        self._closing = True
        self._wake.set()
        if self._flusher is not None and self._flusher_loop is asyncio.get_running_loop():
            await self._flusher
        try:
            await self._flush(wait=True)
        except Exception as exc:
            lost = sum(t.pending_spent for t in self._tallies.values())
            log.warning("Spend of $%.6f not written at shutdown: %s", to_usd(lost), exc)
        await self._store.aclose()

    def _tally(self, slot: Slot) -> Tally:
        now = time.monotonic()
        tally = self._tallies.get(slot)
        if tally is None:
            tally = self._tallies[slot] = Tally(now)
        tally.used_at = now
        loop = asyncio.get_running_loop()
        running = self._flusher is not None and not self._flusher.done()
        if not self._closing and (self._flusher_loop is not loop or not running):
            self._flusher_loop, self._wake = loop, asyncio.Event()
            self._flusher = loop.create_task(self._flush_forever())
        return tally

    async def _exchange(
        self, slot: Slot, tally: Tally, cost: int | None, budget: int
    ) -> tuple[bool, Reading]:
        """One store call for one tally: a claim of `cost`, or (None) a plain write and read."""
        async with tally.lock:
            asked_at = time.monotonic()
            change, keep = tally.take(), self._keep(slot)
            try:
                if cost is None:
                    claimed, (reading,) = True, await self._store.apply([(slot, change, keep)])
                else:
                    claimed, reading = await self._store.claim(slot, change, cost, budget, keep)
            except BaseException:
                tally.restore()
                raise
            tally.confirm(reading, asked_at)
            return claimed, reading

    async def _flush_forever(self) -> None:
        while not self._closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
            self._wake.clear()
            if self._closing:
                return  # aclose flushes what is left
            try:
                await self._flush()
            except Exception as exc:
                self._flush_failed(exc)

    async def _flush(self, *, wait: bool = False) -> None:
        """Every tally's change in one store call, totals read back; busy tallies are skipped
        (their exchange in flight reads them) unless `wait`."""
        now = time.monotonic()
        batch: list[tuple[Slot, Tally]] = []
        try:
            for slot, tally in list(self._tallies.items()):
                if tally.lock.locked() and not wait:
                    continue
                if now - tally.used_at > _IDLE_AFTER_S and not tally.dirty():
                    if not tally.lock.locked():
                        del self._tallies[slot]
                    continue
                await tally.lock.acquire()  # immediate unless `wait` and busy
                batch.append((slot, tally))
            if not batch:
                return
            changes = [(slot, tally.take(), self._keep(slot)) for slot, tally in batch]
            try:
                readings = await self._store.apply(changes)
            except BaseException:
                for _, tally in batch:
                    tally.restore()
                    tally.refreshed_at = float("-inf")  # stale: holds ask the store (and policy)
                raise
            for (_, tally), reading in zip(batch, readings, strict=True):
                tally.confirm(reading, now)
        finally:
            for _, tally in batch:
                tally.lock.release()

    def _flush_failed(self, exc: Exception) -> None:
        """Changes stay pending for the next flush; say so now and then."""
        now = time.monotonic()
        if now - self._logged_at >= _LOG_INTERVAL_S:
            self._logged_at = now
            log.warning("Spend could not be written, will retry: %s", exc)

    def _keep(self, slot: Slot) -> float | None:
        return seconds_to_keep(slot.period_start, slot.period_s, self._clock())


async def _shielded(work: Coroutine[Any, Any, T]) -> T:
    """Run a store exchange to its end even if the caller is cancelled, so a change the
    store applied is never sent twice."""
    task = asyncio.ensure_future(work)
    task.add_done_callback(_retrieve)
    return await asyncio.shield(task)


def _retrieve(task: asyncio.Task) -> None:
    if not task.cancelled():
        task.exception()  # an error nobody awaits any more is not worth a second report
