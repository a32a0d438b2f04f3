"""``weighted``: the first deployment drawn at random in proportion to its weight.

The whole order is a weighted draw without replacement (Efraimidis and Spirakis: each
candidate gets the key ``Exp(1) / weight``, smallest first). Its restriction to any subset
is drawn the same way, so when the router skips a candidate whose probe slot is taken, the
next one is still a fair weighted pick among the rest. Weight 0: only after all others.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ferrogate.routing.candidates import Candidate, RequestInfo, viable


class Weighted:
    def __init__(self, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random()

    def order(self, candidates: Sequence[Candidate], request: RequestInfo) -> list[Candidate]:
        usable = viable(candidates, request)
        drawn = [c for c in usable if c.weight > 0]
        keys = {id(c): self._rng.expovariate(1.0) / c.weight for c in drawn}
        drawn.sort(key=lambda c: keys[id(c)])
        spare = sorted((c for c in usable if c.weight <= 0), key=lambda c: c.priority)
        return drawn + spare
