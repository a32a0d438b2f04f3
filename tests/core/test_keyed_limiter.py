"""KeyedLimiter: per-key buckets, bounded size, policy given per call."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferrogate.core import Gcra, KeyedLimiter

keys = st.sampled_from(["a", "b", "c", "d"])
steps = st.tuples(keys, st.integers(0, 8).map(float), st.integers(0, 64).map(lambda n: n / 16))


@given(st.lists(steps, max_size=80))
def test_each_key_behaves_like_its_own_gcra(sequence):
    limiter, buckets = KeyedLimiter(), {}
    now = 0.0
    for key, cost, elapsed in sequence:
        now += elapsed
        bucket = buckets.setdefault(key, Gcra(2.0, 5.0))
        assert limiter.try_acquire(key, 2.0, 5.0, cost, now) == bucket.try_acquire(cost, now)


@given(st.lists(st.tuples(keys, st.integers(-8, 8).map(float), steps), max_size=60))
def test_adjust_behaves_like_each_keys_own_gcra(sequence):
    limiter, buckets = KeyedLimiter(), {}
    now = 0.0
    for key, delta, (_, cost, elapsed) in sequence:
        now += elapsed
        bucket = buckets.setdefault(key, Gcra(2.0, 5.0))
        assert limiter.adjust(key, 2.0, 5.0, delta, now) == bucket.adjust(delta, now)
        assert limiter.try_acquire(key, 2.0, 5.0, cost, now) == bucket.try_acquire(cost, now)


@given(st.integers(0, 8), st.integers(0, 24), st.integers(0, 64).map(lambda n: n / 16))
def test_settling_a_reservation_equals_charging_the_true_cost(reserved, used, elapsed):
    settled, charged = KeyedLimiter(), KeyedLimiter()
    assert settled.try_acquire("k", 2.0, 8.0, reserved, 0.0)[0]
    settled.adjust("k", 2.0, 8.0, used - reserved, 0.0)
    charged.adjust("k", 2.0, 8.0, used, 0.0)
    for cost in (1.0, 4.0, 8.0):
        assert settled.try_acquire("k", 2.0, 8.0, cost, elapsed) == charged.try_acquire(
            "k", 2.0, 8.0, cost, elapsed
        )


def test_refund_on_a_key_without_a_bucket_stores_nothing():
    limiter = KeyedLimiter()
    assert limiter.adjust("k", 1.0, 10.0, -5.0, 0.0) == 10.0
    assert len(limiter) == 0


@given(st.integers(1, 8), st.lists(steps, max_size=80))
def test_size_never_exceeds_max_keys(max_keys, sequence):
    limiter, now = KeyedLimiter(max_keys), 0.0
    for key, cost, elapsed in sequence:
        now += elapsed
        limiter.try_acquire(key, 1.0, 8.0, cost, now)
        assert len(limiter) <= max_keys


def test_full_buckets_are_not_kept():
    limiter = KeyedLimiter()
    limiter.try_acquire("probe", 1.0, 1.0, 0.0, 0.0)
    limiter.try_acquire("too-big", 1.0, 1.0, 2.0, 0.0)
    assert len(limiter) == 0


def test_evict_idle_drops_refilled_buckets_only():
    limiter = KeyedLimiter()
    limiter.try_acquire("fast", 10.0, 1.0, 1.0, 0.0)
    limiter.try_acquire("slow", 0.1, 1.0, 1.0, 0.0)
    assert limiter.evict_idle(1.0) == 1
    assert len(limiter) == 1
    assert limiter.try_acquire("slow", 0.1, 1.0, 1.0, 1.0)[0] is False


def test_full_limiter_drops_least_recently_used_key():
    limiter = KeyedLimiter(max_keys=2)
    limiter.try_acquire("a", 1.0, 1.0, 1.0, 0.0)
    limiter.try_acquire("b", 1.0, 1.0, 1.0, 0.0)
    limiter.try_acquire("a", 1.0, 1.0, 1.0, 0.0)
    limiter.try_acquire("c", 1.0, 1.0, 1.0, 0.0)
    assert limiter.try_acquire("a", 1.0, 1.0, 1.0, 0.0)[0] is False
    assert limiter.try_acquire("b", 1.0, 1.0, 1.0, 0.0)[0] is True


def test_raised_limit_applies_at_once_and_keeps_tokens_in_use():
    limiter = KeyedLimiter()
    assert limiter.try_acquire("k", 1.0, 2.0, 2.0, 0.0) == (True, 0.0, 0.0)
    assert limiter.try_acquire("k", 1.0, 5.0, 3.0, 0.0) == (True, 0.0, 0.0)
    assert limiter.try_acquire("k", 4.0, 5.0, 1.0, 0.0) == (False, 0.25, 0.0)


@pytest.mark.parametrize("max_keys", [0, -1])
def test_max_keys_below_one_raises_value_error(max_keys):
    with pytest.raises(ValueError, match="max_keys"):
        KeyedLimiter(max_keys)


def test_invalid_policy_raises_value_error():
    with pytest.raises(ValueError, match="burst"):
        KeyedLimiter().try_acquire("k", 1.0, 0.0, 1.0, 0.0)
