"""Spend totals in a SQLite file: one machine, any number of worker processes.

Every hold checks and claims the budget inside one `BEGIN IMMEDIATE` transaction, which
takes SQLite's write lock first, so workers sharing the file cannot both claim the last
dollar. Calls run in a thread (`asyncio.to_thread`) to keep file locks off the event loop.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ferrogate.spend.ledger import (
    BudgetHold,
    period_start,
    refusal,
    seconds_to_keep,
    to_micros,
    to_usd,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS spend (
    key_id TEXT NOT NULL,
    period_start REAL NOT NULL,
    spent INTEGER NOT NULL DEFAULT 0,  -- micro-dollars settled
    held INTEGER NOT NULL DEFAULT 0,   -- micro-dollars claimed by requests still running
    expires_at REAL,                   -- NULL: a lifetime total, kept forever
    PRIMARY KEY (key_id, period_start)
)
"""
_PRUNE_INTERVAL_S = 600.0
_BUSY_TIMEOUT_S = 10.0  # other workers hold the write lock for one short statement at a time


class LocalSpendLedger:
    def __init__(self, path: str | Path, *, clock: Callable[[], float] = time.time):
        self._clock = clock
        self._lock = threading.Lock()  # one connection, used from to_thread workers in turn
        self._db = sqlite3.connect(
            str(path), timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        if str(path) != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        self._db.execute(_SCHEMA)
        self._pruned_at = float("-inf")

    async def hold(
        self, key_id: str, budget_usd: float | None, period_s: float | None, cost_usd: float
    ) -> BudgetHold:
        now = self._clock()
        unclaimed = BudgetHold(key_id, period_start(now, period_s), 0.0, period_s)
        if budget_usd is None:
            return unclaimed  # nothing to guard; the settle still records the spend
        cost = to_micros(cost_usd)
        args = (unclaimed, cost, to_micros(budget_usd), _expires_at(unclaimed, now), now)
        refused_at = await asyncio.to_thread(self._locked, self._hold, *args)
        if refused_at is not None:
            raise refusal(refused_at, budget_usd, period_s)
        return BudgetHold(key_id, unclaimed.period_start, to_usd(cost), period_s)

    async def settle(self, hold: BudgetHold, actual_usd: float) -> None:
        expires_at = _expires_at(hold, self._clock())
        args = (hold, to_micros(hold.held_usd), to_micros(actual_usd), expires_at)
        await asyncio.to_thread(self._locked, self._settle, *args)

    async def spent(self, key_id: str, period_s: float | None) -> float:
        start = period_start(self._clock(), period_s)
        micros = await asyncio.to_thread(self._locked, self._spent, key_id, start)
        return to_usd(micros)

    async def aclose(self) -> None:
        await asyncio.to_thread(self._locked, self._db.close)

    def _locked(self, work: Callable, *args):
        with self._lock:
            return work(*args)

    def _hold(
        self, hold: BudgetHold, cost: int, budget: int, expires_at: float | None, now: float
    ) -> int | None:
        """Claim `cost`; on refusal return the micro-dollars already spent."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute(
                "SELECT spent, held FROM spend WHERE key_id = ? AND period_start = ?",
                (hold.key_id, hold.period_start),
            ).fetchone()
            spent, held = row if row is not None else (0, 0)
            if spent + held + cost > budget:
                db.execute("COMMIT")
                return spent
            db.execute(
                "INSERT INTO spend (key_id, period_start, held, expires_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key_id, period_start) DO UPDATE SET held = held + excluded.held",
                (hold.key_id, hold.period_start, cost, expires_at),
            )
            self._prune(now)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return None

    def _settle(
        self, hold: BudgetHold, release: int, actual: int, expires_at: float | None
    ) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            # A settle after the period's row was pruned recreates it; it expires again.
            db.execute(
                "INSERT INTO spend (key_id, period_start, spent, expires_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key_id, period_start) DO UPDATE SET "
                "spent = spent + excluded.spent, held = max(0, held - ?)",
                (hold.key_id, hold.period_start, actual, expires_at, release),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _spent(self, key_id: str, start: float) -> int:
        row = self._db.execute(
            "SELECT spent FROM spend WHERE key_id = ? AND period_start = ?", (key_id, start)
        ).fetchone()
        return 0 if row is None else row[0]

    def _prune(self, now: float) -> None:
        # Finished periods are only read by a late settle; drop them now and then.
        if now - self._pruned_at < _PRUNE_INTERVAL_S:
            return
        self._pruned_at = now
        self._db.execute("DELETE FROM spend WHERE expires_at < ?", (now,))


def _expires_at(hold: BudgetHold, now: float) -> float | None:
    keep = seconds_to_keep(hold, now)
    return None if keep is None else now + keep
