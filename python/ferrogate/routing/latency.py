"""How fast each deployment starts answering: an EWMA of time to first token.

Least-latency routing sends traffic to the lowest estimate, so a deployment that was slow
gets no samples and would never be seen to recover. Exploration is timed probes: once a
deployment has had no sample for ``stale_after_s`` (or never had one), ``claim_probe`` lets
one request try it, then no other for ``probe_every_s`` unless a sample arrives. That costs
at most one request per deployment per interval whatever the traffic, where an epsilon share
would cost a fixed fraction of all of it. A sample taken after such a gap restarts the
average, so one fast probe is enough to bring a recovered deployment back.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class Ewma:
    value: float  # seconds
    at: float  # clock time of the last sample


class LatencyTracker:
    """Estimates for the deployments of one model, in this process."""

    def __init__(
        self,
        *,
        alpha: float = 0.3,
        stale_after_s: float = 30.0,
        probe_every_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.alpha = alpha  # weight of the newest sample
        self.stale_after_s = stale_after_s
        self.probe_every_s = probe_every_s
        self._clock = clock
        self._own: dict[str, Ewma] = {}
        self._probed_at: dict[str, float] = {}

    def observe(self, deployment_id: str, ttft_s: float) -> None:
        now = self._clock()
        ewma = self._own.get(deployment_id)
        if ewma is None or now - ewma.at > self.stale_after_s:
            self._own[deployment_id] = Ewma(ttft_s, now)
        else:
            ewma.value += self.alpha * (ttft_s - ewma.value)
            ewma.at = now
        self._observed(deployment_id)

    def estimate(self, deployment_id: str) -> float | None:
        """The latest estimate, stale or not; None if never measured."""
        ewma = self._own.get(deployment_id)
        return None if ewma is None else ewma.value

    def fresh(self, deployment_id: str) -> bool:
        ewma = self._own.get(deployment_id)
        return ewma is not None and self._clock() - ewma.at <= self.stale_after_s

    def claim_probe(self, deployment_id: str) -> bool:
        """Whether the caller should send this deployment one exploratory request now."""
        if self.fresh(deployment_id):
            return False
        now = self._clock()
        if now - self._probed_at.get(deployment_id, -math.inf) < self.probe_every_s:
            return False
        self._probed_at[deployment_id] = now
        return True

    def _observed(self, deployment_id: str) -> None:
        """Hook for a tracker that shares its samples."""
        return None
