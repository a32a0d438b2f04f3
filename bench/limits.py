"""Cost of rate limiting per request: one admit plus its settle, by limiter.

Run from the repo root with ``.venv/bin/python bench/limits.py [--rounds N] [--pairs N]``.
Against a private Redis Stack on loopback, it times ``LocalLimiter``, ``RedisLimiter`` with
leases (the default lease fraction) and without (fraction 0, one script step per admission),
one request at a time and with 16 at once on one event loop. Each settle refunds part of the
reservation, as real answers do. The limits are high enough never to refuse, which is the
case leases are for. Prints the median µs per admit+settle over the rounds, and Redis script
calls per admission. Nothing asserts on timings: machines differ, the table is for reading.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.infra.redis_stack import RedisStack

from ferrogate.limits.admission import Limiter
from ferrogate.limits.local import LocalLimiter
from ferrogate.limits.open_limiter import connect
from ferrogate.limits.policy import KeyLimits
from ferrogate.limits.redis_limiter import RedisLimiter

ROW = "{:<34} {:>14} {:>16} {:>16}"
LIMITS = KeyLimits("bench", rpm=10_000_000, tpm=10_000_000_000)
RESERVED, USED = 1500, 1200


async def pairs(limiter: Limiter, count: int) -> None:
    for _ in range(count):
        admission = await limiter.admit(LIMITS, RESERVED)
        limiter.settle(admission, USED)


async def time_round(limiter: Limiter, count: int, concurrency: int) -> float:
    """µs per admit+settle pair for ``count`` pairs split over ``concurrency`` tasks."""
    start = time.perf_counter()
    await asyncio.gather(*(pairs(limiter, count // concurrency) for _ in range(concurrency)))
    return (time.perf_counter() - start) / count * 1e6


async def measure(make: Callable[[], Limiter], rounds: int, count: int) -> tuple[float, float]:
    limiter = make()
    try:
        await time_round(limiter, count // 10, 1)  # warm up: connections, script cache
        sequential = [await time_round(limiter, count, 1) for _ in range(rounds)]
        concurrent = [await time_round(limiter, count, 16) for _ in range(rounds)]
    finally:
        await limiter.aclose()
    return statistics.median(sequential), statistics.median(concurrent)


def script_calls(url: str) -> int:
    with redis.Redis.from_url(url) as client:
        return client.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=4000, help="admit+settle pairs per round")
    args = parser.parse_args()
    admissions = args.pairs * (2 * args.rounds) + args.pairs // 10

    with RedisStack() as server:
        limiters: list[tuple[str, Callable[[], Limiter]]] = [
            ("LocalLimiter (Rust core)", LocalLimiter),
            ("RedisLimiter, leases (0.002)", lambda: RedisLimiter(connect(server.url))),
            (
                "RedisLimiter, no leases",
                lambda: RedisLimiter(connect(server.url), lease_fraction=0),
            ),
        ]
        print(ROW.format("limiter", "µs, 1 at once", "µs, 16 at once", "Redis calls/adm"))
        for name, make in limiters:
            before = script_calls(server.url)
            sequential, concurrent = asyncio.run(measure(make, args.rounds, args.pairs))
            calls = (script_calls(server.url) - before) / admissions
            print(ROW.format(name, f"{sequential:.1f}", f"{concurrent:.1f}", f"{calls:.5f}"))
    print(f"\nmedian of {args.rounds} rounds of {args.pairs} admit+settle pairs; Redis on loopback")


if __name__ == "__main__":
    main()
