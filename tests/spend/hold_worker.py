"""Runs in a child process: try many holds on a shared ledger, report how many succeeded."""

from __future__ import annotations

import asyncio

from ferrogate.errors import BudgetExceeded
from ferrogate.spend import LocalSpendLedger, RedisSpendLedger


def report_admitted_holds(start, results, sqlite_path, redis_url, attempts, cost) -> None:
    """Wait at the `start` barrier so both processes hold at once, then put the count."""
    results.put(asyncio.run(_admitted_holds(start, sqlite_path, redis_url, attempts, cost)))


async def _admitted_holds(start, sqlite_path, redis_url, attempts, cost) -> int:
    local = LocalSpendLedger(sqlite_path)
    ledger = local if redis_url is None else RedisSpendLedger(redis_url, fallback=local)
    admitted = 0
    try:
        start.wait()
        for _ in range(attempts):
            try:
                await ledger.hold("shared", 1.00, None, cost)
            except BudgetExceeded:
                continue
            admitted += 1
    finally:
        await ledger.aclose()
    return admitted
