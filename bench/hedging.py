"""Tail latency of streams through the router, with hedging off and on, against a slow tail.

Run from the repo root with ``.venv/bin/python bench/hedging.py [--rounds N] [--requests N]``.
Two mock upstreams serve as two deployments of one alias (priority order). Each answers its
headers after ``--latency-ms`` and, for ``--slow-rate`` of streams (5% by default), waits
``--slow-ms`` more before the first event, so a slow first token is about 10x a normal one.
The router is called in process with real OpenAI providers, ``--concurrency`` streams at a
time; time to first token is the time until ``ModelRouter.stream`` hands the stream out
(it holds the first chunk by then). Hedging starts the second deployment when the first has
sent no token after ``--hedge-after-ms``. Prints the median over rounds of p50/p95/p99 TTFT,
the share of requests hedged and the extra upstream attempts per request (what hedging
costs). Nothing asserts on timings: the table is for reading.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.routing.mock_fleet import Mock, candidate, close_providers, running_mocks
from tests.routing.router_calls import REQUEST, chat_call

from ferrogate.routing.retry import RetryPolicy
from ferrogate.routing.router import HedgePolicy, ModelRouter
from ferrogate.routing.strategies import PriorityOrder

ROW = "{:<26} {:>9} {:>9} {:>9} {:>9} {:>14}"


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


async def one_stream(router: ModelRouter, ttfts: list[float], extra: list[int]) -> None:
    started = time.perf_counter()
    routed = await router.stream(chat_call(stream=True), REQUEST)
    ttfts.append(time.perf_counter() - started)
    extra.append(routed.attempts - 1)
    async for _ in routed.result.chunks:  # read to the end: the connection goes back to the pool
        pass


async def run_round(router: ModelRouter, requests: int, concurrency: int) -> dict[str, float]:
    ttfts: list[float] = []
    extra: list[int] = []
    queue = iter(range(requests))

    async def worker() -> None:
        for _ in queue:
            await one_stream(router, ttfts, extra)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    ttfts.sort()
    return {
        "p50": percentile(ttfts, 0.50) * 1000,
        "p95": percentile(ttfts, 0.95) * 1000,
        "p99": percentile(ttfts, 0.99) * 1000,
        "hedged": sum(1 for e in extra if e) / len(extra) * 100,
        "extra": sum(extra) / len(extra),
    }


async def measure(mocks: list[Mock], hedge: HedgePolicy | None, args) -> dict[str, float]:
    deployments = [
        candidate(name, mock, priority=i)
        for i, (name, mock) in enumerate(zip("ab", mocks, strict=True))
    ]
    router = ModelRouter("bench", deployments, PriorityOrder(), RetryPolicy(), hedge=hedge)
    try:
        await run_round(router, args.requests // 10, args.concurrency)  # warm up the pools
        rounds = [
            await run_round(router, args.requests, args.concurrency) for _ in range(args.rounds)
        ]
    finally:
        await close_providers(deployments)
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=400, help="streams per round")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency-ms", type=float, default=20.0, help="before every answer")
    parser.add_argument("--slow-ms", type=float, default=200.0, help="extra wait of a slow token")
    parser.add_argument("--slow-rate", type=float, default=0.05, help="share of slow tokens")
    parser.add_argument("--hedge-after-ms", type=float, default=40.0)
    args = parser.parse_args()
    slow_tail = (
        *("--latency-ms", str(args.latency_ms)),
        *("--first-token-ms", str(args.slow_ms)),
        *("--first-token-rate", str(args.slow_rate)),
    )
    with running_mocks(2, *slow_tail) as mocks:
        for seed, mock in enumerate(mocks):
            mock.faults(seed=seed + 1)  # independent tails on the two deployments
        hedge = HedgePolicy(after_s=args.hedge_after_ms / 1000)
        rows = {
            "hedging off": asyncio.run(measure(mocks, None, args)),
            f"hedging on ({args.hedge_after_ms:g} ms)": asyncio.run(measure(mocks, hedge, args)),
        }
    print(
        f"{args.requests} streams x {args.rounds} rounds, concurrency {args.concurrency}; "
        f"{args.slow_rate:.0%} of first tokens {args.slow_ms:g} ms late on a "
        f"{args.latency_ms:g} ms base (median of rounds)"
    )
    print(ROW.format("TTFT ms", "p50", "p95", "p99", "hedged %", "extra att/req"))
    for name, row in rows.items():
        print(
            ROW.format(
                name,
                f"{row['p50']:.1f}",
                f"{row['p95']:.1f}",
                f"{row['p99']:.1f}",
                f"{row['hedged']:.1f}",
                f"{row['extra']:.3f}",
            )
        )


if __name__ == "__main__":
    main()
