"""How an alias's deployments are ordered for one request: one small object per strategy.

Every strategy returns the try order: the candidates worth trying now (capable, large
enough, not cooling down; see ``candidates.viable``), best first. The router walks it,
acquiring each candidate's health permit before an attempt. An empty order means none of
them can serve the request now.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ferrogate.routing.candidates import Candidate, RequestInfo
from ferrogate.routing.strategies.cost import Cheapest
from ferrogate.routing.strategies.fallback import PriorityOrder
from ferrogate.routing.strategies.least_latency import LeastLatency
from ferrogate.routing.strategies.weighted import Weighted


class Strategy(Protocol):
    def order(self, candidates: Sequence[Candidate], request: RequestInfo) -> list[Candidate]: ...


__all__ = ["Cheapest", "LeastLatency", "PriorityOrder", "Strategy", "Weighted"]
