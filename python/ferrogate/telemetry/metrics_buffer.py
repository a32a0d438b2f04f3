"""Metric updates gathered in plain dicts and written to prometheus_client in one flush.

In multiprocess mode every counter increment and histogram bucket is a write to an mmap'd
file: about 23 writes, 25 µs, a request. Summed here per label tuple, a second's traffic
costs one write per series touched (one per bucket for histograms) however many requests
it held, and a request's own share is a few dict updates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .metrics_histograms import fast_child


class CounterBuffer:
    """Increments of one counter family, summed per label tuple until `flush`."""

    __slots__ = ("_children", "pending")

    def __init__(self, metric: Any):
        self._children = _Children(metric)
        self.pending: dict[tuple[str, ...], float] = {}

    def add(self, values: tuple[str, ...], amount: float = 1) -> None:
        pending = self.pending
        pending[values] = pending.get(values, 0) + amount

    def flush(self) -> None:
        pending, self.pending = self.pending, {}
        for values, amount in pending.items():
            self._children(values).inc(amount)


class HistogramBuffer:
    """Observations of one histogram family, kept per label tuple until `flush`, which
    counts each series' values per bucket and writes each bucket once (`observe_many`).

    Appending a value is cheaper than finding its bucket, and the values a flush holds are
    bounded by the records observed since the last one (see GatewayMetrics.MAX_PENDING).
    """

    __slots__ = ("_children", "pending")

    def __init__(self, metric: Any):
        self._children = _Children(metric, fast_child)
        self.pending: dict[tuple[str, ...], list[float]] = {}

    def add(self, values: tuple[str, ...], amount: float) -> None:
        series = self.pending.get(values)
        if series is None:
            self.pending[values] = [amount]
        else:
            series.append(amount)

    def add_many(self, values: tuple[str, ...], amounts: Sequence[float]) -> None:
        series = self.pending.get(values)
        if series is None:
            self.pending[values] = list(amounts)
        else:
            series.extend(amounts)

    def flush(self) -> None:
        pending, self.pending = self.pending, {}
        for values, amounts in pending.items():
            self._children(values).observe_many(amounts)


class _Children:
    """A metric's labelled children, kept by label values.

    ``metric.labels(...)`` checks and converts its arguments and takes a lock on every call;
    the label values here are bounded, so the children can be kept and found with one dict
    lookup instead. ``wrap`` turns a new child into what the caller uses (a fast histogram).
    An empty tuple is the unlabelled metric itself.
    """

    __slots__ = ("_children", "_metric", "_wrap")

    def __init__(self, metric: Any, wrap: Callable[[Any], Any] | None = None):
        self._metric = metric
        self._wrap = wrap
        self._children: dict[tuple[str, ...], Any] = {}

    def __call__(self, values: tuple[str, ...]) -> Any:
        child = self._children.get(values)
        if child is None:
            child = self._metric.labels(*values) if values else self._metric
            if self._wrap is not None:
                child = self._wrap(child)
            self._children[values] = child
        return child
