"""Percentiles read from log-scale counts stay within a bucket of the true ones, merged or not."""

from __future__ import annotations

import math
import random

from ferrogate.stats import log_histogram

# Half of a bucket's width of 2^(1/8): the worst relative error of a bucket's middle.
TOLERANCE = 2 ** (1 / 16) - 1


def exact(values: list[float], q: float) -> float:
    """The ceil(q * n)-th smallest value: the definition `quantiles` follows."""
    return sorted(values)[math.ceil(q * len(values)) - 1]


def test_percentiles_are_within_half_a_bucket_of_the_values_they_summarise():
    rng = random.Random(10)
    values = [rng.lognormvariate(-5, 1.5) for _ in range(5000)]  # ms-scale latencies
    counts: dict[int, int] = {}
    for value in values:
        log_histogram.add(counts, value)

    qs = (0.5, 0.9, 0.99)
    for q, estimate in zip(qs, log_histogram.quantiles(counts, qs), strict=True):
        truth = exact(values, q)
        assert abs(estimate - truth) / truth <= TOLERANCE, (q, estimate, truth)


def test_merged_counts_answer_as_if_one_worker_had_seen_everything():
    rng = random.Random(11)
    fast = [rng.uniform(0.001, 0.002) for _ in range(900)]
    slow = [rng.uniform(1.0, 2.0) for _ in range(100)]
    one, other, both = {}, {}, {}
    for value in fast:
        log_histogram.add(one, value)
        log_histogram.add(both, value)
    for value in slow:
        log_histogram.add(other, value)
        log_histogram.add(both, value)

    merged: dict[int, int] = {}
    log_histogram.merge_into(merged, one)
    log_histogram.merge_into(merged, other)

    assert merged == both
    p50, p99 = log_histogram.quantiles(merged, (0.5, 0.99))
    assert 0.001 <= p50 <= 0.002 * (1 + TOLERANCE)  # the fast worker's values
    assert 1.0 * (1 - TOLERANCE) <= p99 <= 2.0 * (1 + TOLERANCE)  # the slow worker's tail


def test_an_empty_histogram_has_no_percentiles_and_zero_is_counted():
    assert log_histogram.quantiles({}, (0.5, 0.99)) == [None, None]
    counts: dict[int, int] = {}
    log_histogram.add(counts, 0.0)
    [p50] = log_histogram.quantiles(counts, (0.5,))
    assert p50 is not None and p50 < 1e-6
