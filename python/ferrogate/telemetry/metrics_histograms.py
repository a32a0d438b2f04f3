"""Histogram observations at a fraction of prometheus_client's own cost.

``Histogram.observe`` checks the metric, scans the bucket bounds in a Python loop and takes a
lock per write: about 0.7-1.5 µs an observation, and a request makes ten (duration, overhead,
seven stages) plus one per streamed chunk. Bisecting the bounds makes one observation about
half as dear, and a stream's gaps, sorted once and cut at each bound, cost one write per
bucket instead of two per gap.

NOTE: this reads prometheus_client's private fields ``_upper_bounds``, ``_buckets`` (one
non-cumulative count per bucket) and ``_sum``. Tests compare every path with plain
``observe`` calls; when a release drops the fields, `fast_child` falls back to them.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any


class _FastChild:
    __slots__ = ("_bounds", "_buckets", "_sum")

    def __init__(self, child: Any):
        self._bounds = tuple(child._upper_bounds)
        self._buckets = child._buckets
        self._sum = child._sum

    def observe(self, amount: float) -> None:
        # `observe` counts an amount in the first bucket whose bound is >= it: bisect_left.
        self._buckets[bisect_left(self._bounds, amount)].inc(1)
        self._sum.inc(amount)

    def observe_many(self, amounts: Sequence[float]) -> None:
        ordered = sorted(amounts)
        below = 0
        for index, bound in enumerate(self._bounds):
            upto = bisect_right(ordered, bound)
            if upto > below:
                self._buckets[index].inc(upto - below)
                below = upto
            if below == len(ordered):
                break
        self._sum.inc(math.fsum(ordered))


class _PlainChild:
    __slots__ = ("observe",)

    def __init__(self, child: Any):
        self.observe = child.observe

    def observe_many(self, amounts: Sequence[float]) -> None:
        for amount in amounts:
            self.observe(amount)


def fast_child(child: Any) -> _FastChild | _PlainChild:
    """A histogram child (``histogram.labels(...)``, or an unlabelled histogram) with
    ``observe(amount)`` and ``observe_many(amounts)``."""
    if all(hasattr(child, name) for name in ("_upper_bounds", "_buckets", "_sum")):
        return _FastChild(child)
    return _PlainChild(child)
