"""CPU and wall time per hold + settle on the spend ledgers, store on every hold or not.

Run with ``.venv/bin/python bench/spend.py [--redis redis://127.0.0.1:PORT/0] [--calls N]``.
"every hold to store" sets the allowance to 0, so each hold is one store call (how every
hold worked before write-behind); "write-behind" is the default ledger. Each hold + settle
pair is followed by one event-loop turn, as a request would give, so the flusher's batches
are in the figures. Nothing asserts on timings.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from ferrogate.spend import LocalSpendLedger, RedisSpendLedger

MONTH = 30 * 86_400.0
ROW = "{:<8} {:<20} {:>12} {:>12}"


async def measure(ledger, calls: int) -> tuple[float, float]:
    await ledger.spent("bench", MONTH)  # the key's totals are known, as after a first request
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        hold = await ledger.hold("bench", 1e9, MONTH, 0.0001)
        ledger.settle(hold, 0.0001)
        await asyncio.sleep(0)
    per_call = 1e6 / calls
    result = (time.perf_counter() - wall) * per_call, (time.process_time() - cpu) * per_call
    await ledger.aclose()
    return result


def ledger_for(store: str, folder: Path, redis_url: str | None, allowance: float):
    local = LocalSpendLedger(folder / f"{store}-{allowance}.sqlite3", allowance_fraction=allowance)
    if store == "sqlite":
        return local
    return RedisSpendLedger(redis_url, fallback=local, allowance_fraction=allowance)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default=None, help="a Redis URL to measure too")
    parser.add_argument("--calls", type=int, default=5_000)
    args = parser.parse_args()
    print(ROW.format("store", "holds", "wall µs", "cpu µs"))
    with tempfile.TemporaryDirectory() as folder:
        for store in ("sqlite", "redis") if args.redis else ("sqlite",):
            for label, allowance in (("every hold to store", 0.0), ("write-behind", 0.01)):
                ledger = ledger_for(store, Path(folder), args.redis, allowance)
                wall, cpu = await measure(ledger, args.calls)
                print(ROW.format(store, label, f"{wall:.1f}", f"{cpu:.1f}"))


if __name__ == "__main__":
    asyncio.run(main())
