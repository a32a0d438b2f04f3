"""Spend totals in a SQLite file: one machine, any number of worker processes.

A claim checks and takes the budget inside one `BEGIN IMMEDIATE` transaction, which takes
SQLite's write lock first, so workers sharing the file cannot both claim the last dollar; a
flush writes every key's change in one such transaction. Calls run in a thread
(`asyncio.to_thread`) to keep file locks off the event loop.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ferrogate.spend.tally import Change, Reading, Slot

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
# held never goes below 0: a release can outlive its hold only if the row was pruned.
_ADD = (
    "INSERT INTO spend (key_id, period_start, spent, held, expires_at) "
    "VALUES (?, ?, ?, max(0, ?), ?) ON CONFLICT (key_id, period_start) DO UPDATE SET "
    "spent = spent + excluded.spent, held = max(0, held + ?), expires_at = excluded.expires_at"
)
_READ = "SELECT spent, held FROM spend WHERE key_id = ? AND period_start = ?"
_PRUNE_INTERVAL_S = 600.0
_BUSY_TIMEOUT_S = 10.0  # other workers hold the write lock for one short transaction at a time


class SqliteSpendStore:
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

    async def claim(
        self, slot: Slot, change: Change, cost: int, budget: int, keep_s: float | None
    ) -> tuple[bool, Reading]:
        return await asyncio.to_thread(
            self._locked, self._claim, slot, change, cost, budget, keep_s
        )

    async def apply(self, changes: list[tuple[Slot, Change, float | None]]) -> list[Reading]:
        return await asyncio.to_thread(self._locked, self._apply, changes)

    async def aclose(self) -> None:
        await asyncio.to_thread(self._locked, self._db.close)

    def _locked(self, work: Callable, *args):
        with self._lock:
            return work(*args)

    def _claim(
        self, slot: Slot, change: Change, cost: int, budget: int, keep_s: float | None
    ) -> tuple[bool, Reading]:
        with self._transaction(write=True):
            if change:
                self._add(slot, change, keep_s)
            reading = self._read(slot)
            claimed = reading.total + cost <= budget
            if claimed and cost:
                self._add(slot, Change(held=cost), keep_s)
                reading = Reading(reading.spent, reading.held + cost)
        return claimed, reading

    def _apply(self, changes: list[tuple[Slot, Change, float | None]]) -> list[Reading]:
        readings = []
        with self._transaction(write=any(change for _, change, _ in changes)):
            for slot, change, keep_s in changes:
                if change:
                    self._add(slot, change, keep_s)
                readings.append(self._read(slot))
        return readings

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[None]:
        """`BEGIN IMMEDIATE` (the write lock first) for writes, a plain read otherwise."""
        self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield
            if write:
                self._prune()
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _add(self, slot: Slot, change: Change, keep_s: float | None) -> None:
        expires_at = None if keep_s is None else self._clock() + keep_s
        self._db.execute(
            _ADD,
            (slot.key_id, slot.period_start, change.spent, change.held, expires_at, change.held),
        )

    def _read(self, slot: Slot) -> Reading:
        row = self._db.execute(_READ, (slot.key_id, slot.period_start)).fetchone()
        return Reading(0, 0) if row is None else Reading(row[0], row[1])

    def _prune(self) -> None:
        # Finished periods are only read by a late settle; drop them now and then.
        now = self._clock()
        if now - self._pruned_at >= _PRUNE_INTERVAL_S:
            self._pruned_at = now
            self._db.execute("DELETE FROM spend WHERE expires_at < ?", (now,))
