"""``fallback``: the deployments in priority order, the first that works answers."""

from __future__ import annotations

from collections.abc import Sequence

from ferrogate.routing.candidates import Candidate, RequestInfo, viable


class PriorityOrder:
    def order(self, candidates: Sequence[Candidate], request: RequestInfo) -> list[Candidate]:
        return sorted(viable(candidates, request), key=lambda c: c.priority)  # stable on ties
