"""``cost``: the cheapest deployment that can serve the request first.

Cost is the prompt's tokens at the input price plus the output the client asked for (or
the expected output) at the output price. Deployments whose price is unknown come after
priced ones; ``viable`` has already dropped those the request does not fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ferrogate.routing.candidates import Candidate, RequestInfo, viable


class Cheapest:
    def order(self, candidates: Sequence[Candidate], request: RequestInfo) -> list[Candidate]:
        def rank(candidate: Candidate) -> tuple[float, int]:
            cost = candidate.estimated_cost(request)
            return (math.inf if cost is None else cost, candidate.priority)

        return sorted(viable(candidates, request), key=rank)
