"""The vectors of one cache scope: an exact scan while small, an hnswlib graph once large.

Why a separate index per scope, and not one shared graph with hnswlib's ``filter``
callable, measured at dim 384, M=16, ef=64, k=1, random unit vectors, 300 queries,
median / p99:

    entries/scopes     single+filter     single, top-100 then filter     per-scope graph
    10k / 50            5.6 / 10.9 ms        0.51 / 1.1 ms (recall 1.00)    0.05 / 0.09 ms
    10k / 1000         11.0 / 13.5 ms        0.27 / 0.37 ms (recall 1.00)   0.006 / 0.013 ms
    100k / 50          31 / 77 ms            1.3 / 9.5 ms (recall 0.88)     0.49 / 6.1 ms
    100k / 1000       116 / 294 ms           0.90 / 1.7 ms (recall 0.96)    0.04 / 0.10 ms

The filter is a Python call for every node visited, and with a selective filter the search
keeps walking until ``ef`` allowed nodes are found: 100-3000x slower. Over-fetching and
filtering in Python loses recall at 100k. Per-scope indexes are exact in scope and fastest.

Why small scopes are not graphs: an empty hnswlib 0.8 index costs about 2.5 MiB (65,536
per-label mutexes whatever max_elements is), the price of about 1,700 rows of 384 float32.
A scope therefore starts as a ``FlatVectors`` matrix scanned exactly with
``ferrogate.core.dot_batch`` and becomes a ``GraphVectors`` graph when an insert would
take it past PROMOTE_AT entries. Scan against graph (M=16, ef=64) at dim 384, top 4,
300 queries on an idle 2-core machine, median / p99 in microseconds, and the time to build
the graph, which a promotion spends under the L1 lock:

    rows            64         256       1,024       2,048       4,096
    scan         10 / 16    19 / 23    46 / 103    98 / 160   201 / 309
    graph        18 / 61    37 / 74    83 / 138   125 / 238   173 / 313
    build          1 ms      14 ms      104 ms      311 ms     1.2 s

The scan wins below 2k-4k rows; PROMOTE_AT is 1,024 rather than 2,048 because the
promotion's build holds the lock three times longer at 2k for a gain of 27 us a lookup.

A graph that shrinks to DEMOTE_AT entries becomes a matrix again, freeing its 2.5 MiB. The
gap between the marks means a scope rebuilds only after at least PROMOTE_AT - DEMOTE_AT
removals or inserts, so flapping around a mark costs O(1) re-inserts amortised.

Before (a graph per scope) and after, bench/cache_l1.py, one process per row, lookup times
median / p99 in microseconds, store in microseconds, memory as RSS growth per entry:

    entries/scopes    hit before   hit after   store before/after   memory before/after
    1k / 100            11 / 18      9 / 18         211 / 5          265,363 / 2,687 B
    10k / 100           52 / 120    27 / 80          72 / 5           28,602 / 2,261 B
    10k / 1            766 / 1131  457 / 769        690 / 764          2,358 / 2,353 B
    100k / 100         366 / 715   129 / 249        233 / 6            4,708 / 1,887 B

10k / 1 is a graph both times (the difference is run-to-run noise); at 100k / 100 every
scope holds 1,000 entries and stays a matrix, so the scan is 2.8x faster than the graph.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from numpy.typing import NDArray

from ferrogate.cache.l1.flat import FlatVectors
from ferrogate.cache.l1.graph import GraphVectors

PROMOTE_AT = 1_024  # a flat scope this large becomes a graph on its next insert
DEMOTE_AT = PROMOTE_AT // 4  # a graph this small becomes flat again


class ScopeIndex:
    """The vectors of one scope. Not thread-safe: the owning L1Index holds the lock."""

    def __init__(self, dim: int, ef: int, m: int) -> None:
        self._ef, self._m = ef, m
        self._vectors: FlatVectors | GraphVectors = FlatVectors(dim)

    @property
    def labels(self) -> Collection[int]:
        return self._vectors.labels

    @property
    def is_graph(self) -> bool:
        return isinstance(self._vectors, GraphVectors)

    @property
    def slot_count(self) -> int:
        """Slots held, live and deleted: what the memory bound counts. A matrix has no
        deleted slots (its spare rows, at most three per live one, are not counted); a
        graph keeps at most as many deleted slots as live ones."""
        return self._vectors.slot_count

    def add(self, label: int, vector: NDArray[np.float32]) -> None:
        if isinstance(self._vectors, FlatVectors) and len(self._vectors) >= PROMOTE_AT:
            labels, rows = self._vectors.live()
            self._vectors = GraphVectors.from_rows(labels, rows, self._ef, self._m)
        self._vectors.add(label, vector)

    def remove(self, label: int) -> None:
        self._vectors.remove(label)
        if isinstance(self._vectors, GraphVectors) and 0 < len(self._vectors) <= DEMOTE_AT:
            self._vectors = FlatVectors.from_rows(*self._vectors.live())

    def nearest(self, query: NDArray[np.float32], k: int) -> list[tuple[int, float]]:
        """Up to k (label, similarity) pairs, most similar first."""
        return self._vectors.nearest(query, k)
