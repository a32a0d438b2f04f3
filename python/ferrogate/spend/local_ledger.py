"""Spend totals in a SQLite file, shared by the worker processes of one machine.

Holds far from the budget are decided in memory and settles are written behind in batches
(see `write_behind` for how, and for how far workers together may pass a budget).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ferrogate.spend.sqlite_store import SqliteSpendStore
from ferrogate.spend.write_behind import WriteBehindLedger


class LocalSpendLedger(WriteBehindLedger):
    def __init__(
        self, path: str | Path, *, clock: Callable[[], float] = time.time, **tuning: float
    ):
        super().__init__(SqliteSpendStore(path, clock=clock), clock=clock, **tuning)
