"""Gcra against an exact-arithmetic token-bucket model, plus invariants on arbitrary floats."""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferrogate.core import Gcra


class ReferenceBucket:
    """Textbook token bucket in exact rational arithmetic, for non-decreasing clocks.

    ``adjust`` may take the tokens below zero (debt); the reported remainder stays >= 0.
    """

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = Fraction(rate), Fraction(burst)
        self.tokens, self.last = self.burst, Fraction(0)

    def try_acquire(self, cost: float, now: float) -> tuple[bool, float, float]:
        cost_ = Fraction(cost)
        self._refill(now)
        if cost_ > self.burst:
            return False, math.inf, self._remaining()
        if cost_ <= self.tokens:
            self.tokens -= cost_
            return True, 0.0, self._remaining()
        return False, float((cost_ - self.tokens) / self.rate), self._remaining()

    def adjust(self, delta: float, now: float) -> float:
        self._refill(now)
        self.tokens = min(self.burst, self.tokens - Fraction(delta))
        return self._remaining()

    def _refill(self, now: float) -> None:
        now_ = Fraction(now)
        self.tokens = min(self.burst, self.tokens + (now_ - self.last) * self.rate)
        self.last = now_

    def _remaining(self) -> float:
        return float(max(Fraction(0), self.tokens))


# Dyadic values (small powers of two in every denominator) keep float arithmetic exact, so
# the float implementation must agree with the exact model to the last bit.
rates = st.sampled_from([0.25, 0.5, 1.0, 2.0, 4.0, 8.0])
bursts = st.integers(1, 32).map(lambda n: n / 2)
steps = st.tuples(
    st.integers(0, 96).map(lambda n: n / 4), st.integers(0, 256).map(lambda n: n / 64)
)


@given(rates, bursts, st.lists(steps, max_size=60))
def test_decisions_match_exact_token_bucket_model(rate, burst, sequence):
    bucket, model = Gcra(rate, burst), ReferenceBucket(rate, burst)
    now = 0.0
    for cost, elapsed in sequence:
        now += elapsed
        assert bucket.try_acquire(cost, now) == model.try_acquire(cost, now)


deltas = st.integers(-64, 64).map(lambda n: n / 4)
adjust_steps = st.tuples(st.booleans(), deltas, st.integers(0, 256).map(lambda n: n / 64))


@given(rates, bursts, st.lists(adjust_steps, max_size=60))
def test_adjust_matches_exact_model_with_debt_and_capped_refunds(rate, burst, sequence):
    bucket, model = Gcra(rate, burst), ReferenceBucket(rate, burst)
    now = 0.0
    for is_adjust, amount, elapsed in sequence:
        now += elapsed
        if is_adjust:
            assert bucket.adjust(amount, now) == model.adjust(amount, now)
        else:
            cost = abs(amount)
            assert bucket.try_acquire(cost, now) == model.try_acquire(cost, now)


def test_charge_into_debt_delays_later_requests():
    bucket = Gcra(rate=1.0, burst=4.0)
    assert bucket.try_acquire(4.0, 0.0) == (True, 0.0, 0.0)
    assert bucket.adjust(2.0, 0.0) == 0.0
    assert bucket.try_acquire(1.0, 0.0) == (False, 3.0, 0.0)
    assert bucket.try_acquire(1.0, 3.0) == (True, 0.0, 0.0)


def test_refund_never_fills_past_burst():
    bucket = Gcra(rate=1.0, burst=4.0)
    bucket.try_acquire(3.0, 0.0)
    assert bucket.adjust(-2.0, 0.0) == 3.0
    assert bucket.adjust(-100.0, 0.0) == 4.0
    assert bucket.try_acquire(5.0, 0.0)[0] is False


@pytest.mark.parametrize(("delta", "now"), [(math.nan, 0.0), (math.inf, 0.0), (1.0, math.inf)])
def test_adjust_with_non_finite_delta_or_clock_raises_value_error(delta, now):
    with pytest.raises(ValueError, match=r"delta|now"):
        Gcra(1.0, 1.0).adjust(delta, now)


finite_positive = st.floats(min_value=1e-3, max_value=1e6)
arbitrary_steps = st.tuples(st.floats(0, 2e6), st.floats(0, 100))


@given(finite_positive, finite_positive, st.floats(0, 1e9), st.lists(arbitrary_steps, max_size=40))
def test_waiting_retry_after_always_lets_the_request_through(rate, burst, start, sequence):
    bucket, now = Gcra(rate, burst), start
    for cost, elapsed in sequence:
        now += elapsed
        allowed, retry_after, remaining = bucket.try_acquire(cost, now)
        assert 0.0 <= remaining <= burst
        if allowed:
            assert retry_after == 0.0
        elif cost > burst:
            assert retry_after == math.inf
        else:
            assert 0.0 < retry_after < math.inf
            now += retry_after
            assert bucket.try_acquire(cost, now)[0]


def test_burst_then_refill():
    bucket = Gcra(rate=2.0, burst=3.0)
    assert [bucket.try_acquire(1.0, 10.0) for _ in range(4)] == [
        (True, 0.0, 2.0),
        (True, 0.0, 1.0),
        (True, 0.0, 0.0),
        (False, 0.5, 0.0),
    ]
    assert bucket.try_acquire(1.0, 10.5) == (True, 0.0, 0.0)
    assert bucket.try_acquire(0.0, 100.0) == (True, 0.0, 3.0)


def test_cost_above_burst_is_never_allowed_and_takes_nothing():
    bucket = Gcra(1.0, 5.0)
    assert bucket.try_acquire(6.0, 0.0) == (False, math.inf, 5.0)
    assert bucket.try_acquire(math.inf, 0.0) == (False, math.inf, 5.0)
    assert bucket.try_acquire(5.0, 0.0) == (True, 0.0, 0.0)


def test_properties_report_the_policy():
    bucket = Gcra(2.5, 10)
    assert (bucket.rate, bucket.burst) == (2.5, 10.0)
    assert repr(bucket) == "Gcra(rate=2.5, burst=10.0)"


@pytest.mark.parametrize(
    ("rate", "burst"),
    [(0, 1), (-1, 1), (1, 0), (1, -2), (math.nan, 1), (1, math.nan), (math.inf, 1)],
)
def test_invalid_policy_raises_value_error(rate, burst):
    with pytest.raises(ValueError, match=r"rate|burst"):
        Gcra(rate, burst)


@pytest.mark.parametrize(
    ("cost", "now"), [(-1.0, 0.0), (math.nan, 0.0), (1.0, math.nan), (1.0, math.inf)]
)
def test_invalid_cost_or_clock_raises_value_error(cost, now):
    with pytest.raises(ValueError, match=r"cost|now"):
        Gcra(1.0, 1.0).try_acquire(cost, now)
