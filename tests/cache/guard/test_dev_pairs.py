"""The guard over the shared dev pairs: most paraphrases kept, the designed-for negatives refused.

The pairs tune the guard; held-out pairs judge it, so the floors here are conservative.
"""

from __future__ import annotations

import pytest

from ferrogate.cache.guard import HitGuard
from tests.support.dev_pairs import load_dev_pairs

# The kinds whose difference is a number, a name, a negation or an order: the guard's job.
GUARDED_KINDS = {"number", "entity", "negation", "order", "antonym"}


@pytest.fixture(scope="module")
def pairs() -> list[dict]:
    return load_dev_pairs()


def test_guard_keeps_most_paraphrases(pairs: list[dict]) -> None:
    guard = HitGuard()
    same = [p for p in pairs if p["same"]]
    kept = [p for p in same if guard.check(p["a"], p["b"]).allowed]
    print(f"guard keeps {len(kept)}/{len(same)} same-meaning dev pairs")
    assert len(kept) / len(same) >= 0.8


def test_guard_refuses_negatives_it_is_designed_for(pairs: list[dict]) -> None:
    guard = HitGuard()
    designed = [p for p in pairs if not p["same"] and p["kind"] in GUARDED_KINDS]
    served = [(p["a"], p["b"]) for p in designed if guard.check(p["a"], p["b"]).allowed]
    assert designed
    assert served == []
