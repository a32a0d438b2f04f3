from __future__ import annotations

import random
from collections import Counter

import pytest

from ferrogate.routing.candidates import Candidate, RequestInfo
from ferrogate.routing.health import HealthBook
from ferrogate.routing.strategies import Weighted

pytestmark = pytest.mark.anyio
PICKS = 10_000
TOLERANCE = 0.02  # over 4 standard deviations of a share estimated from 10k picks


def first_pick_shares(strategy: Weighted, candidates: list[Candidate]) -> dict[str, float]:
    counts = Counter(strategy.order(candidates, RequestInfo())[0].deployment_id
                     for _ in range(PICKS))  # fmt: skip
    return {name: count / PICKS for name, count in counts.items()}


def test_weighted_picks_each_deployment_in_proportion_to_its_weight():
    candidates = [Candidate("a", weight=1), Candidate("b", weight=2), Candidate("c", weight=7)]

    shares = first_pick_shares(Weighted(random.Random(7)), candidates)

    for name, expected in {"a": 0.1, "b": 0.2, "c": 0.7}.items():
        assert shares[name] == pytest.approx(expected, abs=TOLERANCE)


def test_weighted_second_choice_is_a_weighted_pick_among_the_rest():
    # What the router gets when it has to skip the first choice (its probe slot was taken).
    candidates = [Candidate("a", weight=1), Candidate("b", weight=3), Candidate("c", weight=6)]
    strategy = Weighted(random.Random(11))
    after_c = Counter()
    for _ in range(PICKS * 3):
        order = strategy.order(candidates, RequestInfo())
        if order[0].deployment_id == "c":
            after_c[order[1].deployment_id] += 1

    total = sum(after_c.values())
    assert after_c["a"] / total == pytest.approx(0.25, abs=TOLERANCE)
    assert after_c["b"] / total == pytest.approx(0.75, abs=TOLERANCE)


async def test_weighted_shares_the_traffic_of_a_cooling_deployment_by_the_others_weights():
    book = HealthBook(failures_to_trip=1)
    candidates = [Candidate(name, weight=w, health=book.handle(name))
                  for name, w in (("a", 1), ("b", 3), ("down", 6))]  # fmt: skip
    permit = await book.acquire("down")
    assert permit is not None
    await permit.failed()

    shares = first_pick_shares(Weighted(random.Random(3)), candidates)

    assert set(shares) == {"a", "b"}
    assert shares["a"] == pytest.approx(0.25, abs=TOLERANCE)


def test_weight_zero_is_tried_only_after_every_weighted_deployment():
    candidates = [Candidate("spare", weight=0), Candidate("a", weight=1), Candidate("b")]

    for _ in range(100):
        order = Weighted(random.Random()).order(candidates, RequestInfo())
        assert order[-1].deployment_id == "spare"
        assert len(order) == 3


def test_the_same_seed_gives_the_same_orders():
    candidates = [Candidate(name) for name in "abcde"]
    first, second = Weighted(random.Random(5)), Weighted(random.Random(5))

    for _ in range(20):
        assert first.order(candidates, RequestInfo()) == second.order(candidates, RequestInfo())
