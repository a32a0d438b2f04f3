"""L1 scopes start as exact matrices and become hnswlib graphs only when large."""

from __future__ import annotations

import numpy as np

from ferrogate.cache.entry import CachedAnswer
from ferrogate.cache.l1 import L1Index
from ferrogate.cache.l1.scope_index import DEMOTE_AT, PROMOTE_AT

DIM = 16
DAY = 86_400.0
VECTORS = np.random.default_rng(3).standard_normal((PROMOTE_AT + 1, DIM)).astype(np.float32)
VECTORS /= np.linalg.norm(VECTORS, axis=1, keepdims=True)
SAMPLE = [*range(0, PROMOTE_AT + 1, 37), PROMOTE_AT - 1]


def _answer(name: str, expires_at: float = DAY) -> CachedAnswer:
    return CachedAnswer(prompt=name, body=b"{}", expires_at=expires_at)


def _answers(index: L1Index, scope: str, keys: list[int], now: float) -> list[str | None]:
    hits = [index.lookup(scope, VECTORS[key], threshold=0.999, now=now) for key in keys]
    return [None if hit is None else hit.answer.prompt for hit in hits]


def test_thousand_single_entry_scopes_create_no_graph():
    index = L1Index(DIM, capacity=1_000)
    for key in range(1_000):
        index.store(f"ns|{key}", VECTORS[key], _answer(str(key)), now=0.0)

    assert index.graph_count == 0
    assert len(index) == 1_000 and index.slot_count == 1_000
    assert _answers(index, "ns|5", [5, 6], now=1.0) == ["5", None]


def test_scope_crossing_the_promotion_mark_keeps_returning_its_entries():
    index = L1Index(DIM, capacity=2 * PROMOTE_AT)
    for key in range(PROMOTE_AT):
        index.store("ns|big", VECTORS[key], _answer(str(key)), now=0.0)
    index.store("ns|small", VECTORS[0], _answer("small"), now=0.0)
    flat_answers = _answers(index, "ns|big", SAMPLE[:-1], now=1.0)

    assert index.graph_count == 0
    index.store("ns|big", VECTORS[PROMOTE_AT], _answer(str(PROMOTE_AT)), now=2.0)

    assert index.graph_count == 1
    assert flat_answers == [str(key) for key in SAMPLE[:-1]]
    assert _answers(index, "ns|big", [*SAMPLE, PROMOTE_AT], now=3.0) == [
        str(key) for key in (*SAMPLE, PROMOTE_AT)
    ]
    assert _answers(index, "ns|small", [0], now=3.0) == ["small"]
    assert len(index) == PROMOTE_AT + 2 and index.slot_count == PROMOTE_AT + 2


def test_graph_shrunk_to_the_demotion_mark_becomes_a_matrix_with_the_survivors():
    index = L1Index(DIM, capacity=2 * PROMOTE_AT)
    doomed = PROMOTE_AT + 1 - DEMOTE_AT
    for key in range(PROMOTE_AT + 1):
        expires_at = 100.0 if key < doomed else DAY
        index.store("ns|big", VECTORS[key], _answer(str(key), expires_at), now=0.0)
    assert index.graph_count == 1

    index.store("ns|other", VECTORS[0], _answer("other"), now=200.0)  # reclaims the expired

    assert index.graph_count == 0
    assert len(index) == DEMOTE_AT + 1 and index.slot_count == DEMOTE_AT + 1
    survivors = [key for key in SAMPLE if key >= doomed]
    assert _answers(index, "ns|big", survivors, now=201.0) == [str(key) for key in survivors]
    assert _answers(index, "ns|big", [0], now=201.0) == [None]


def test_scope_flapping_around_the_mark_stays_within_capacity_and_slots():
    capacity = PROMOTE_AT + 8
    index = L1Index(DIM, capacity=capacity)
    for step in range(3 * capacity):
        key = step % (PROMOTE_AT + 1)
        index.store("ns|a", VECTORS[key], _answer(str(key)), now=float(step))
        assert len(index) <= capacity and index.slot_count <= 2 * capacity
    assert _answers(index, "ns|a", [key], now=float(step)) == [str(key)]
