"""The fast histogram paths give exactly what prometheus_client's own `observe` gives."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Histogram

from ferrogate.telemetry.metrics_histograms import fast_child

BUCKETS = (0.001, 0.01, 0.1, 1.0, 10.0)
amounts = st.lists(
    st.one_of(
        st.floats(min_value=-1.0, max_value=100.0, allow_nan=False),
        st.sampled_from([*BUCKETS, math.inf]),
    ),
    max_size=60,
)


def histogram() -> Histogram:
    return Histogram("h_seconds", "test", ("model",), registry=None, buckets=BUCKETS)


def samples(metric: Histogram) -> dict[tuple, float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in metric.collect()
        for sample in family.samples
        if not sample.name.endswith("_created")
    }


@given(amounts)
def test_fast_observe_matches_plain_observe(values):
    plain, fast = histogram(), histogram()
    plain_observer, fast_observer = plain.labels("m"), fast_child(fast.labels("m"))
    for amount in values:
        plain_observer.observe(amount)
        fast_observer.observe(amount)

    assert samples(fast) == samples(plain)


@given(amounts)
def test_observing_many_at_once_matches_observing_each(values):
    plain, fast = histogram(), histogram()
    plain_observer = plain.labels("m")
    for amount in values:
        plain_observer.observe(amount)
    fast_child(fast.labels("m")).observe_many(values)

    assert _close(samples(fast), samples(plain))


def test_without_the_private_fields_it_falls_back_to_plain_observe():
    class OnlyObserve:
        def __init__(self):
            self.seen: list[float] = []

        def observe(self, amount: float) -> None:
            self.seen.append(amount)

    child = OnlyObserve()
    observer = fast_child(child)
    observer.observe(0.5)
    observer.observe_many([1.0, 2.0])

    assert child.seen == [0.5, 1.0, 2.0]


def test_an_unlabelled_histogram_takes_the_fast_path_too():
    plain = Histogram("p_seconds", "test", registry=CollectorRegistry(), buckets=BUCKETS)
    fast = Histogram("p_seconds", "test", registry=CollectorRegistry(), buckets=BUCKETS)
    plain.observe(0.05)
    fast_child(fast).observe(0.05)

    assert samples(fast) == samples(plain)


def _close(left: dict, right: dict) -> bool:
    # Summing many amounts at once may round differently from adding them one by one.
    return left.keys() == right.keys() and all(
        math.isclose(left[key], right[key], rel_tol=1e-9, abs_tol=1e-9) for key in left
    )
