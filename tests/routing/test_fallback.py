from __future__ import annotations

import pytest

from ferrogate.routing.candidates import Candidate, RequestInfo
from ferrogate.routing.health import HealthBook
from ferrogate.routing.strategies import PriorityOrder

pytestmark = pytest.mark.anyio


def ids(order: list[Candidate]) -> list[str]:
    return [c.deployment_id for c in order]


def test_fallback_tries_deployments_in_priority_order_keeping_config_order_on_ties():
    candidates = [
        Candidate("backup", priority=2),
        Candidate("primary", priority=0),
        Candidate("secondary-a", priority=1),
        Candidate("secondary-b", priority=1),
    ]

    order = PriorityOrder().order(candidates, RequestInfo())

    assert ids(order) == ["primary", "secondary-a", "secondary-b", "backup"]


async def test_fallback_skips_a_deployment_cooling_down():
    book = HealthBook(failures_to_trip=1)
    primary = Candidate("primary", priority=0, health=book.handle("primary"))
    backup = Candidate("backup", priority=1, health=book.handle("backup"))
    permit = await primary.health.acquire()
    assert permit is not None
    await permit.failed()

    assert ids(PriorityOrder().order([primary, backup], RequestInfo())) == ["backup"]


def test_fallback_skips_deployments_without_a_needed_capability():
    candidates = [
        Candidate("text-only", priority=0, capabilities=frozenset({"tools"})),
        Candidate("vision", priority=1, capabilities=frozenset({"tools", "vision"})),
        Candidate("undeclared", priority=2),
    ]

    order = PriorityOrder().order(candidates, RequestInfo(needs=frozenset({"vision"})))

    assert ids(order) == ["vision", "undeclared"]


def test_an_accepts_hook_can_turn_a_request_away():
    picky = Candidate("picky", accepts=lambda request: request.prompt_tokens < 10)
    assert ids(PriorityOrder().order([picky], RequestInfo(prompt_tokens=5))) == ["picky"]
    assert PriorityOrder().order([picky], RequestInfo(prompt_tokens=50)) == []
