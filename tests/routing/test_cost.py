from __future__ import annotations

import pytest

from ferrogate.routing.candidates import Candidate, RequestInfo
from ferrogate.routing.health import HealthBook
from ferrogate.routing.strategies import Cheapest

pytestmark = pytest.mark.anyio


def priced(name: str, input_per_mtok: float, output_per_mtok: float, **fields) -> Candidate:
    return Candidate(name, input_per_mtok=input_per_mtok, output_per_mtok=output_per_mtok, **fields)


def ids(order: list[Candidate]) -> list[str]:
    return [c.deployment_id for c in order]


def test_cost_picks_the_cheapest_deployment_that_has_the_needed_capabilities():
    candidates = [
        priced("premium", 5.0, 15.0, capabilities=frozenset({"tools", "vision"})),
        priced("budget-no-tools", 0.1, 0.4, capabilities=frozenset()),
        priced("mid", 0.5, 1.5, capabilities=frozenset({"tools"})),
    ]

    order = Cheapest().order(candidates, RequestInfo(prompt_tokens=500, needs=frozenset({"tools"})))

    assert ids(order) == ["mid", "premium"]


def test_cost_skips_deployments_whose_context_window_is_too_small():
    candidates = [
        priced("small-cheap", 0.1, 0.4, context_window=8_192),
        priced("large", 1.0, 3.0, context_window=128_000),
    ]
    long_prompt = RequestInfo(prompt_tokens=7_000, max_output_tokens=2_000)

    assert ids(Cheapest().order(candidates, long_prompt)) == ["large"]
    assert ids(Cheapest().order(candidates, RequestInfo(prompt_tokens=7_000))) == [
        "small-cheap",
        "large",
    ]


def test_cost_weighs_output_by_the_tokens_the_client_asked_for():
    cheap_input = priced("cheap-input", 0.1, 10.0)
    cheap_output = priced("cheap-output", 1.0, 1.0)
    candidates = [cheap_input, cheap_output]

    prompt_heavy = RequestInfo(prompt_tokens=100_000, max_output_tokens=100)
    output_heavy = RequestInfo(prompt_tokens=100, max_output_tokens=10_000)

    assert ids(Cheapest().order(candidates, prompt_heavy))[0] == "cheap-input"
    assert ids(Cheapest().order(candidates, output_heavy))[0] == "cheap-output"


def test_deployments_with_unknown_prices_come_after_priced_ones():
    candidates = [Candidate("unpriced"), priced("priced", 30.0, 60.0)]

    assert ids(Cheapest().order(candidates, RequestInfo(prompt_tokens=10))) == [
        "priced",
        "unpriced",
    ]


async def test_cost_picks_the_cheapest_healthy_deployment():
    book = HealthBook(failures_to_trip=1)
    cheapest = priced("cheapest", 0.1, 0.1, health=book.handle("cheapest"))
    other = priced("other", 1.0, 1.0, health=book.handle("other"))
    permit = await book.acquire("cheapest")
    assert permit is not None
    await permit.failed()

    assert ids(Cheapest().order([cheapest, other], RequestInfo(prompt_tokens=10))) == ["other"]
