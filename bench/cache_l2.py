"""L2 semantic tier latency against a private Redis Stack (loopback, one client).

Run from the repo root with ``.venv/bin/python bench/cache_l2.py [--lookups N]``. For 1k and
10k entries of dimension 384 in one scope (the worst case: the TAG prefilter keeps them all
for the KNN), it prints the median and p99 of a store, a hit, a miss (nearest entry below the
threshold) and a miss in an empty scope (the prefilter leaves nothing). It also times finding
one namespace's keys for a flush: FT.SEARCH on the namespace TAG against SCAN on the prefix.
Nothing asserts on timings: machines differ, the table is for reading.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.infra.redis_stack import RedisStack

from ferrogate.cache.entry import CachedAnswer
from ferrogate.cache.l2 import L2Store, connect
from ferrogate.cache.l2 import query as l2_query

DIM = 384
THRESHOLD = 0.9
ROW = "{:<8} {:<18} {:>10} {:>10}"
BODY = b'{"id":"x","object":"chat.completion","choices":[{"message":{"content":"' + b"a" * 400


def unit_vectors(count: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


async def timed(calls) -> list[float]:
    """Microseconds per awaited call, one after the other."""
    samples = []
    for call in calls:
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1e6)
    return samples


def row(entries: int, name: str, samples: list[float]) -> str:
    p99 = np.percentile(samples, 99)
    return ROW.format(f"{entries:,}", name, f"{statistics.median(samples):.0f}", f"{p99:.0f}")


async def fill(store: L2Store, vectors: np.ndarray) -> list[float]:
    answer = CachedAnswer("q", BODY, time.time() + 86_400)

    def store_one(i: int):
        # Distinct prompts give distinct keys; every tenth entry goes to namespace "flush".
        namespace = "flush" if i % 10 == 0 else "main"
        item = CachedAnswer(f"q{i}", answer.body, answer.expires_at)
        return lambda: store.store("main|ctx", namespace, vectors[i], item, 86_400)

    return await timed(store_one(i) for i in range(len(vectors)))


async def find_namespace_keys(store: L2Store) -> tuple[float, float]:
    """Milliseconds to list namespace "flush" by FT.SEARCH and by SCAN + HGET."""
    start = time.perf_counter()
    args = l2_query.namespace_keys_args(store.index_name, "flush", 100_000)
    by_search = len(list(l2_query.rows(await store.redis.execute_command(*args))))
    search_ms = (time.perf_counter() - start) * 1e3

    start = time.perf_counter()
    wanted, by_scan = l2_query.tag("flush").encode(), 0
    async for keys in _scan_batches(store):
        async with store.redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.hget(key, "namespace")
            by_scan += sum(value == wanted for value in await pipe.execute())
    scan_ms = (time.perf_counter() - start) * 1e3
    assert by_search == by_scan, (by_search, by_scan)
    return search_ms, scan_ms


async def _scan_batches(store: L2Store):
    cursor = 0
    while True:
        cursor, keys = await store.redis.scan(cursor, match=store.prefix + "*", count=1000)
        yield keys
        if cursor == 0:
            return


async def bench(url: str, entries: int, lookups: int) -> list[str]:
    client = connect(url)
    await client.flushall()
    store = L2Store(client, DIM)
    await store.ensure_index()
    vectors = unit_vectors(entries, seed=entries)
    stores = await fill(store, vectors)
    probes = unit_vectors(lookups, seed=1)
    picks = np.random.default_rng(2).integers(0, entries, lookups)

    async def lookup(scope, vector):
        return await store.lookup(scope, vector, THRESHOLD)

    hits = await timed(lambda i=i: lookup("main|ctx", vectors[picks[i]]) for i in range(lookups))
    misses = await timed(lambda i=i: lookup("main|ctx", probes[i]) for i in range(lookups))
    empty = await timed(lambda i=i: lookup("none|ctx", probes[i]) for i in range(lookups))
    search_ms, scan_ms = await find_namespace_keys(store)
    await client.aclose()
    return [
        row(entries, "store", stores),
        row(entries, "lookup hit", hits),
        row(entries, "lookup miss", misses),
        row(entries, "miss, empty scope", empty),
        f"{entries:,}: list a {entries // 10:,}-key namespace: FT.SEARCH {search_ms:.1f} ms, "
        f"SCAN+HGET {scan_ms:.1f} ms",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    lines = []
    with RedisStack() as server:
        for entries in (1_000, 10_000):
            lines += asyncio.run(bench(server.url, entries, args.lookups))
    print(f"dim {DIM}, threshold {THRESHOLD}, one scope holding every entry; times in µs")
    print(ROW.format("entries", "operation", "median", "p99"))
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
