"""What the cache adds to a request: miss, exact hit (this process or Redis), L1 and L2 hits.

Times `ResponseCache.lookup` in process (the gateway's own cost, no HTTP), with the real
local embedder and a private Redis Stack for L2. An L2 hit is measured on a cache whose
L1 is empty, as on a second gateway instance, and an exact Redis hit on one whose in-process
exact tier is empty. Prints medians and p90 in milliseconds.

    .venv/bin/python bench/cache_latency.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.infra, for Redis Stack

import orjson
from tests.infra.redis_stack import RedisStack

from ferrogate.cache.controls import CacheControls
from ferrogate.cache.embedders import LocalEmbedder
from ferrogate.cache.l2 import connect
from ferrogate.cache.scope import scope_of
from ferrogate.cache.service import ResponseCache
from ferrogate.config import CacheConfig

ORIGINAL = "How can I cancel my subscription?"
PARAPHRASE = "I want to stop my subscription, how do I do that?"
UNRELATED = "Which mountain range lies between France and Spain?"
ANSWER = b'{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[]}'
CONTROLS = CacheControls(read=True, write=True, namespace="bench", ttl_s=3600, threshold=0.84)


def _scope(text: str):
    body = {"model": "m", "messages": [{"role": "user", "content": text}]}
    return scope_of(body, orjson.dumps(body), "bench")


async def _ms(action) -> float:
    started = time.perf_counter()
    await action()
    return (time.perf_counter() - started) * 1000


async def _time(action, rounds: int, embed) -> list[tuple[float, float]]:
    """(lookup ms, lookup minus an embedding timed right before it) per round.

    Interleaving the two keeps the machine's drift out of the difference.
    """
    samples = []
    for _ in range(rounds):
        embedding = await _ms(embed)
        total = await _ms(action)
        samples.append((total, total - embedding))
    return samples


async def measure(rounds: int, redis_url: str) -> dict[str, list[float]]:
    embedder, config = LocalEmbedder(), CacheConfig(enabled=True)
    await embedder.warm_up()
    redis = connect(redis_url)
    filled = ResponseCache(config, embedder, redis)
    original = _scope(ORIGINAL)
    lookup = await filled.lookup(original, CONTROLS)
    filled.remember(original, CONTROLS, lookup.vector, ANSWER)
    await asyncio.sleep(0.5)  # let the fill queue write exact, L1 and L2
    paraphrase = _scope(PARAPHRASE)

    async def l2_hit():
        fresh = ResponseCache(config, embedder, redis)  # an empty L1, as on another instance
        assert (await fresh.lookup(paraphrase, CONTROLS)).outcome == "hit-l2"
        await fresh.stop_filling()  # its L1 fill is not part of the lookup

    async def redis_exact_hit():
        fresh = ResponseCache(config, embedder, redis)  # an empty in-process exact tier
        assert (await fresh.lookup(original, CONTROLS)).outcome == "hit-exact"

    async def miss():
        assert (await filled.lookup(_scope(UNRELATED), CONTROLS)).outcome == "miss"

    def embed():
        return embedder.embed([PARAPHRASE])

    return {
        "miss": await _time(miss, rounds, lambda: embedder.embed([UNRELATED])),
        "exact hit": await _time(lambda: filled.lookup(original, CONTROLS), rounds, embed),
        "exact Redis": await _time(redis_exact_hit, rounds, embed),
        "L1 hit": await _time(lambda: filled.lookup(paraphrase, CONTROLS), rounds, embed),
        "L2 hit": await _time(l2_hit, rounds, embed),
    }


def report(results: dict[str, list[tuple[float, float]]]) -> None:
    print(f"{'lookup':<12}{'median ms':>10}{'p90 ms':>9}{'beyond the embedding, median ms':>33}")
    for name, samples in results.items():
        totals = [total for total, _ in samples]
        beyond = statistics.median(extra for _, extra in samples)
        p90 = statistics.quantiles(totals, n=10)[-1]
        shown = f"{beyond:>33.3f}" if not name.startswith("exact") else f"{'(no embedding)':>33}"
        print(f"{name:<12}{statistics.median(totals):>10.3f}{p90:>9.3f}{shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with RedisStack() as redis:
        report(asyncio.run(measure(args.rounds, redis.url)))


if __name__ == "__main__":
    main()
