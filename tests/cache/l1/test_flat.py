"""The exact matrix a small scope keeps: same answers as a brute-force scan."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ferrogate.cache.l1.flat import FlatVectors

DIM = 8
VECTORS = np.random.default_rng(11).standard_normal((64, DIM)).astype(np.float32)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 63)), min_size=1, max_size=200))
def test_nearest_matches_a_brute_force_scan_after_adds_and_removes(steps):
    flat, live = FlatVectors(DIM), set()
    for add, label in steps:
        if add and label not in live:
            flat.add(label, VECTORS[label].reshape(1, DIM))
            live.add(label)
        elif not add and label in live:
            flat.remove(label)
            live.discard(label)
    assert set(flat.labels) == live and flat.slot_count == len(live)
    if not live:
        return
    query = VECTORS[0].reshape(1, DIM)
    expected = sorted(live, key=lambda label: -float(VECTORS[label] @ VECTORS[0]))[:4]

    found = flat.nearest(query, 4)

    assert [label for label, _ in found] == expected
    for label, similarity in found:
        assert np.isclose(similarity, float(VECTORS[label] @ VECTORS[0]), rtol=1e-5)
