"""One instance hammering one key for the accuracy test: ``python -m tests.limits.accuracy_driver``.

Waits for the shared start time, then runs ``--concurrency`` admit/settle loops for
``--seconds`` and prints one JSON line: requests and tokens admitted and when, by wall clock
(every driver runs on the same machine, so their clocks agree).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time

import orjson

from ferrogate.errors import RateLimited
from ferrogate.limits.open_limiter import connect
from ferrogate.limits.policy import KeyLimits
from ferrogate.limits.redis_limiter import RedisLimiter


class Tally:
    def __init__(self) -> None:
        self.requests = 0
        self.tokens = 0
        self.refused = 0
        self.first_try = float("inf")
        self.last_admit = float("-inf")


async def hammer(
    limiter: RedisLimiter, limits: KeyLimits, until: float, rng: random.Random, tally: Tally
) -> None:
    while time.time() < until:
        tokens = rng.randint(20, 180)
        tally.first_try = min(tally.first_try, time.time())
        try:
            admission = await limiter.admit(limits, tokens)
        except RateLimited:
            tally.refused += 1
            await asyncio.sleep(0.002)
            continue
        tally.last_admit = time.time()
        tally.requests += 1
        tally.tokens += tokens
        limiter.settle(admission, tokens)


async def main(args: argparse.Namespace) -> None:
    limiter = RedisLimiter(connect(args.redis_url), lease_fraction=args.lease_fraction)
    limits = KeyLimits(args.key, rpm=args.rpm, tpm=args.tpm)
    rng = random.Random(args.seed)
    tally = Tally()
    await asyncio.sleep(max(args.start_at - time.time(), 0.0))
    until = args.start_at + args.seconds
    await asyncio.gather(*(hammer(limiter, limits, until, rng, tally) for _ in range(16)))
    await limiter.aclose()
    sys.stdout.buffer.write(orjson.dumps(vars(tally)) + b"\n")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--rpm", type=int, required=True)
    parser.add_argument("--tpm", type=int, required=True)
    parser.add_argument("--lease-fraction", type=float, required=True)
    parser.add_argument("--start-at", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
