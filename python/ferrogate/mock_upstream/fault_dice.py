"""Which faults one request gets: seeded dice, so a run's sequence of faults repeats."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .faults import Faults


@dataclass(frozen=True, slots=True)
class Roll:
    outcome: str | None  # "reset", "status" or None (answer normally)
    delay_s: float  # before the response headers
    first_token_s: float  # streams: after the headers, before the first event
    cut_after: int | None  # streams: events sent before the connection drops


class FaultDice:
    def __init__(self, seed: int | None) -> None:
        self._random = random.Random(seed)

    def roll(self, faults: Faults) -> Roll:
        draw = self._random.random
        # One draw splits [0, 1) into reset | status | normal, so each rate holds exactly
        # as configured instead of one fault shadowing the other.
        chance = draw()
        if chance < faults.reset_rate:
            outcome: str | None = "reset"
        elif chance < faults.reset_rate + faults.fault_rate:
            outcome = "status"
        else:
            outcome = None
        delay_ms = faults.latency_ms + (draw() * faults.jitter_ms if faults.jitter_ms else 0.0)
        slow = bool(faults.first_token_ms) and draw() < faults.first_token_rate
        cut = faults.cut_after is not None and draw() < faults.cut_rate
        return Roll(
            outcome=outcome,
            delay_s=delay_ms / 1000,
            first_token_s=faults.first_token_ms / 1000 if slow else 0.0,
            cut_after=faults.cut_after if cut else None,
        )
