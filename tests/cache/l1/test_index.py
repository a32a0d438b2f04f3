"""L1: similarity within a scope, TTL, LRU and the memory bound."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ferrogate.cache.entry import CachedAnswer
from ferrogate.cache.l1 import L1Index

DIM = 16
DAY = 86_400.0


def _unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


def _at_angle(cosine: float) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors whose cosine similarity is ``cosine``."""
    first = np.zeros(DIM, dtype=np.float32)
    first[0] = 1.0
    second = np.zeros(DIM, dtype=np.float32)
    second[0], second[1] = cosine, math.sqrt(1.0 - cosine * cosine)
    return first, second


def _answer(name: str, expires_at: float = DAY) -> CachedAnswer:
    return CachedAnswer(prompt=name, body=b"{}", expires_at=expires_at)


def test_hit_at_or_above_threshold_with_its_similarity():
    stored, query = _at_angle(0.95)
    index = L1Index(DIM, capacity=10)
    index.store("ns|a", stored, _answer("x"), now=0.0)

    hit = index.lookup("ns|a", query, threshold=0.94, now=1.0)

    assert hit is not None and hit.answer.prompt == "x"
    assert hit.similarity == pytest.approx(0.95, abs=1e-5)


def test_miss_below_threshold():
    stored, query = _at_angle(0.90)
    index = L1Index(DIM, capacity=10)
    index.store("ns|a", stored, _answer("x"), now=0.0)

    assert index.lookup("ns|a", query, threshold=0.92, now=1.0) is None


def test_same_vector_in_another_scope_is_a_miss():
    index = L1Index(DIM, capacity=10)
    index.store("ns|a", _unit(1), _answer("x"), now=0.0)

    assert index.lookup("ns|b", _unit(1), threshold=0.5, now=1.0) is None
    assert index.lookup("other|a", _unit(1), threshold=0.5, now=1.0) is None


def test_expired_entry_is_never_returned_and_is_reclaimed():
    index = L1Index(DIM, capacity=10)
    index.store("ns|a", _unit(1), _answer("x", expires_at=100.0), now=0.0)

    assert index.lookup("ns|a", _unit(1), threshold=0.5, now=99.0) is not None
    assert index.lookup("ns|a", _unit(1), threshold=0.5, now=100.0) is None
    assert len(index) == 0 and index.slot_count == 0


def test_expired_best_match_does_not_hide_a_live_one():
    nearest, further = _at_angle(0.9)
    index = L1Index(DIM, capacity=10)
    index.store("ns|a", nearest, _answer("old", expires_at=50.0), now=0.0)
    index.store("ns|a", further, _answer("live"), now=0.0)

    hit = index.lookup("ns|a", nearest, threshold=0.8, now=60.0)

    assert hit is not None and hit.answer.prompt == "live"


def test_store_of_an_already_expired_answer_is_ignored():
    index = L1Index(DIM, capacity=10)
    index.store("ns|a", _unit(1), _answer("x", expires_at=5.0), now=5.0)

    assert len(index) == 0


def test_full_index_evicts_the_least_recently_used_counting_hits():
    index = L1Index(DIM, capacity=3)
    for seed in (1, 2, 3):
        index.store("ns|a", _unit(seed), _answer(str(seed)), now=0.0)
    assert index.lookup("ns|a", _unit(1), threshold=0.99, now=1.0) is not None

    index.store("ns|b", _unit(4), _answer("4"), now=2.0)

    assert index.lookup("ns|a", _unit(2), threshold=0.99, now=3.0) is None
    for seed, scope in ((1, "ns|a"), (3, "ns|a"), (4, "ns|b")):
        assert index.lookup(scope, _unit(seed), threshold=0.99, now=3.0) is not None


def test_full_index_evicts_expired_entries_before_the_least_recently_used():
    index = L1Index(DIM, capacity=3)
    index.store("ns|a", _unit(1), _answer("1"), now=0.0)
    index.store("ns|a", _unit(2), _answer("2", expires_at=10.0), now=0.0)
    index.store("ns|a", _unit(3), _answer("3"), now=0.0)

    index.store("ns|a", _unit(4), _answer("4"), now=20.0)

    survivors = [
        seed for seed in (1, 3, 4) if index.lookup("ns|a", _unit(seed), 0.99, 21.0) is not None
    ]
    assert survivors == [1, 3, 4]


def test_one_scope_stays_within_capacity_under_ten_times_its_inserts():
    index = L1Index(DIM, capacity=20)
    for seed in range(200):
        index.store("ns|a", _unit(seed), _answer(str(seed)), now=float(seed))
        assert len(index) <= 20 and index.slot_count <= 20


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 7), min_size=1, max_size=300))
def test_many_scopes_hold_at_most_twice_capacity_in_slots(scope_ids):
    index = L1Index(DIM, capacity=30)
    for step, scope_id in enumerate(scope_ids):
        index.store(f"ns|{scope_id}", _unit(step), _answer(str(step)), now=float(step))
        assert len(index) <= 30 and index.slot_count <= 60
    last = len(scope_ids) - 1
    hit = index.lookup(f"ns|{scope_ids[last]}", _unit(last), threshold=0.99, now=float(last))
    assert hit is not None and hit.answer.prompt == str(last)


def test_remove_namespace_drops_only_that_namespace():
    index = L1Index(DIM, capacity=10)
    for seed, scope in enumerate(("a|1", "a|2", "a|2", "ab|1")):
        index.store(scope, _unit(seed), _answer(str(seed)), now=0.0)

    assert index.remove_namespace("a") == 3

    assert len(index) == 1
    assert index.lookup("a|2", _unit(1), threshold=0.5, now=1.0) is None
    assert index.lookup("ab|1", _unit(3), threshold=0.99, now=1.0) is not None


def test_remove_namespace_spares_a_namespace_that_starts_with_it_and_a_bar():
    index = L1Index(DIM, capacity=10)
    index.store("a|1", _unit(0), _answer("a"), now=0.0)
    index.store("a|b|1", _unit(1), _answer("a|b"), now=0.0)  # namespace "a|b"

    assert index.remove_namespace("a") == 1

    assert index.lookup("a|b|1", _unit(1), threshold=0.99, now=1.0) is not None


def test_remove_scope_counts_and_frees_the_scope():
    index = L1Index(DIM, capacity=10)
    index.store("a|1", _unit(1), _answer("1"), now=0.0)
    index.store("a|2", _unit(2), _answer("2"), now=0.0)

    assert index.remove_scope("a|1") == 1
    assert index.remove_scope("a|1") == 0
    assert len(index) == 1 and index.slot_count == 1


def test_vector_of_the_wrong_length_is_rejected():
    index = L1Index(DIM, capacity=10)

    with pytest.raises(ValueError, match="shape"):
        index.store("a|1", np.ones(DIM + 1, dtype=np.float32), _answer("x"), now=0.0)
