"""``least-latency``: the deployment with the lowest time-to-first-token estimate first.

Deployments never measured come after measured ones, in priority order. Exploration is the
tracker's: a deployment due for a probe (see ``LatencyTracker.claim_probe``) goes first for
the one request that claims it, so deployments start measured and a recovered one is seen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ferrogate.routing.candidates import Candidate, RequestInfo, viable
from ferrogate.routing.latency import LatencyTracker


class LeastLatency:
    def __init__(self, tracker: LatencyTracker) -> None:
        self.tracker = tracker  # the router reports each attempt's time to first token here

    def order(self, candidates: Sequence[Candidate], request: RequestInfo) -> list[Candidate]:
        ranked = sorted(viable(candidates, request), key=self._rank)
        for index, candidate in enumerate(ranked[1:], start=1):
            if self.tracker.claim_probe(candidate.deployment_id):  # one probe per request
                return [candidate, *ranked[:index], *ranked[index + 1 :]]
        return ranked

    def _rank(self, candidate: Candidate) -> tuple[float, int]:
        estimate = self.tracker.estimate(candidate.deployment_id)
        return (math.inf if estimate is None else estimate, candidate.priority)
