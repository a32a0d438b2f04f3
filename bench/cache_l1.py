"""L1 semantic tier: lookup latency (hit and miss) and memory per entry, embedding excluded.

Run with ``.venv/bin/python bench/cache_l1.py [--sizes 1000 10000 100000] [--scopes 100]``.
Entries are random unit vectors of dim 384 spread evenly over ``--scopes`` scopes and filled
through ``L1Index.store``; a hit query is a stored vector plus noise (cosine about 0.93), a
miss is a fresh random vector (below the 0.8 threshold). Memory is the RSS growth while
filling, after ``malloc_trim``, divided by the entries (hnswlib allocates outside
tracemalloc's view); each row runs in a fresh process, as memory freed by an earlier row
would hide the next one's. Target from issue 4: an L1 hit costs at most 1 ms beyond the
embedding. Nothing asserts on timings.
"""

from __future__ import annotations

import argparse
import ctypes
import multiprocessing
import resource
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from ferrogate.cache.entry import CachedAnswer
from ferrogate.cache.l1 import L1Index

DIM = 384
THRESHOLD = 0.8
ROW = "{:>8} {:>7} {:>10} {:>10} {:>10} {:>10} {:>10} {:>12}"


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def _rss_bytes() -> int:
    # Hand freed heap pages back first, or the fill reuses the query set's temporaries
    # unseen and numpy matrices look almost free.
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _timed(index: L1Index, scopes: list[str], queries: np.ndarray) -> tuple[float, float, int]:
    times, hits = [], 0
    for scope, query in zip(scopes, queries, strict=True):
        start = time.perf_counter()
        hit = index.lookup(scope, query, THRESHOLD, now=1.0)
        times.append(time.perf_counter() - start)
        hits += hit is not None
    times.sort()
    return statistics.median(times) * 1e6, times[int(len(times) * 0.99) - 1] * 1e6, hits


def run(size: int, n_scopes: int, n_queries: int) -> str:
    rng = np.random.default_rng([size, n_scopes])
    vectors = _unit(rng.standard_normal((size, DIM)))
    scopes = [f"bench|{i % n_scopes}" for i in range(size)]
    answer = CachedAnswer("prompt", b'{"choices": []}', expires_at=1e12)
    index = L1Index(DIM, capacity=size)

    rss_before = _rss_bytes()
    start = time.perf_counter()
    for scope, vector in zip(scopes, vectors, strict=True):
        index.store(scope, vector, answer, now=0.0)
    store_us = (time.perf_counter() - start) / size * 1e6
    per_entry = (_rss_bytes() - rss_before) / size

    picks = rng.integers(0, size, n_queries)
    query_scopes = [scopes[i] for i in picks]
    near = _unit(vectors[picks] + 0.02 * rng.standard_normal((n_queries, DIM)))
    hit_med, hit_p99, hits = _timed(index, query_scopes, near)
    miss_med, miss_p99, _ = _timed(index, query_scopes, _unit(rng.standard_normal(near.shape)))
    return ROW.format(
        size,
        n_scopes,
        f"{hit_med:.0f}",
        f"{hit_p99:.0f}",
        f"{miss_med:.0f}",
        f"{miss_p99:.0f}",
        f"{store_us:.0f}",
        f"{per_entry:.0f} B",
    ) + ("" if hits == n_queries else f"  ({hits}/{n_queries} hits found)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--scopes", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--queries", type=int, default=1_000)
    args = parser.parse_args()
    print(f"dim {DIM}, threshold {THRESHOLD}, times in microseconds")
    print(
        ROW.format(
            "entries", "scopes", "hit med", "hit p99", "miss med", "miss p99", "store", "mem/entry"
        )
    )
    configs = [(size, n_scopes) for size in args.sizes for n_scopes in args.scopes]
    if len(configs) == 1:
        print(run(*configs[0], args.queries), flush=True)
        return
    spawn = multiprocessing.get_context("spawn")
    for size, n_scopes in configs:
        with ProcessPoolExecutor(1, mp_context=spawn) as fresh:
            print(fresh.submit(run, size, n_scopes, args.queries).result(), flush=True)


if __name__ == "__main__":
    main()
