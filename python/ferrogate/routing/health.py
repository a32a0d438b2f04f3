"""Which deployments may be tried: a circuit breaker per deployment.

A deployment is closed (tried normally) until ``failures_to_trip`` attempts in a row fail.
It is then open (skipped) for ``cooldown_s``. After that it is half-open: one attempt, the
probe, is let through; its success closes the breaker, its failure opens it again. A probe
that never reports frees its slot after ``probe_timeout_s``.

The router asks ``acquire`` before an attempt and gets a ``Permit`` (or None: skip this
deployment), then calls exactly one of the permit's ``succeeded``, ``failed`` or
``release`` (no verdict, e.g. cancelled). Which errors count as failures is the router's
call: those that make it move on (connection errors, timeouts, 429 and 5xx).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol


class Breaker(Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class Permit(Protocol):
    async def succeeded(self) -> None: ...
    async def failed(self) -> None: ...
    async def release(self) -> None: ...


class HealthView(Protocol):
    """One deployment's health, as a candidate carries it."""

    def available(self) -> bool: ...
    async def acquire(self) -> Permit | None: ...


class _FreePass:
    async def succeeded(self) -> None:
        return None

    async def failed(self) -> None:
        return None

    async def release(self) -> None:
        return None


class Unwatched:
    """Health for a deployment nobody tracks: always available."""

    _pass = _FreePass()

    def available(self) -> bool:
        return True

    async def acquire(self) -> Permit | None:
        return self._pass


UNWATCHED = Unwatched()


@dataclass(slots=True)
class _Record:
    failures: int = 0
    tripped: bool = False  # opened and not closed since
    open_until: float = -math.inf
    probe_until: float = -math.inf  # a probe is in flight until then


class HealthBook:
    """Breakers for every deployment of this process."""

    def __init__(
        self,
        *,
        failures_to_trip: int = 3,
        cooldown_s: float = 30.0,
        probe_timeout_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures_to_trip = failures_to_trip
        self.cooldown_s = cooldown_s
        self.probe_timeout_s = probe_timeout_s
        self._clock = clock
        self._records: dict[str, _Record] = {}

    def handle(self, deployment_id: str) -> DeploymentHealth:
        """The view a ``Candidate`` carries as its ``health``."""
        self._record(deployment_id)
        return DeploymentHealth(self, deployment_id)

    def state(self, deployment_id: str) -> Breaker:
        record = self._record(deployment_id)
        if not record.tripped:
            return Breaker.CLOSED
        return Breaker.OPEN if self._clock() < record.open_until else Breaker.HALF_OPEN

    def cooldown_left_s(self, deployment_id: str) -> float:
        """Seconds until an open breaker lets a probe through; 0 when not open."""
        if self.state(deployment_id) is not Breaker.OPEN:
            return 0.0
        return self._record(deployment_id).open_until - self._clock()

    def available(self, deployment_id: str) -> bool:
        """Whether ``acquire`` would let an attempt through now; takes nothing."""
        state = self.state(deployment_id)
        if state is Breaker.HALF_OPEN:
            return self._clock() >= self._record(deployment_id).probe_until
        return state is Breaker.CLOSED

    async def acquire(self, deployment_id: str) -> AttemptPermit | None:
        """Let an attempt through, as the probe when half-open; None: skip the deployment."""
        if not self.available(deployment_id):
            return None
        if self.state(deployment_id) is Breaker.CLOSED:
            return AttemptPermit(self, deployment_id, probe=False)
        if not await self._take_probe(deployment_id):
            return None
        return AttemptPermit(self, deployment_id, probe=True)

    # The verdicts below arrive through an ``AttemptPermit``, which knows whether it probed.
    async def attempt_succeeded(self, deployment_id: str, probe: bool) -> None:
        if probe:
            self._records[deployment_id] = _Record()
            await self._closed(deployment_id)
        elif self.state(deployment_id) is Breaker.CLOSED:
            self._record(deployment_id).failures = 0
        # else: an attempt let through before the trip says nothing about now

    async def attempt_failed(self, deployment_id: str, probe: bool) -> None:
        if probe:
            await self._trip(deployment_id)
            return
        if self.state(deployment_id) is not Breaker.CLOSED:
            return  # an attempt from before the trip; the cooldown already runs
        record = self._record(deployment_id)
        record.failures += 1
        if record.failures >= self.failures_to_trip:
            await self._trip(deployment_id)

    async def attempt_released(self, deployment_id: str, probe: bool) -> None:
        if probe and self.state(deployment_id) is Breaker.HALF_OPEN:
            self._record(deployment_id).probe_until = -math.inf
            await self._probe_released(deployment_id)

    def _record(self, deployment_id: str) -> _Record:
        record = self._records.get(deployment_id)
        if record is None:
            record = self._records[deployment_id] = _Record()
        return record

    def _known(self) -> list[str]:
        return list(self._records)

    def _probing(self, deployment_id: str) -> bool:
        return self._clock() < self._record(deployment_id).probe_until

    def _open_locally(self, deployment_id: str, until: float) -> None:
        record = self._record(deployment_id)
        record.tripped = True
        record.open_until = max(record.open_until, until)
        record.probe_until = -math.inf

    # Hooks for a book shared through Redis; alone, a process needs nothing more.
    async def _trip(self, deployment_id: str) -> None:
        self._open_locally(deployment_id, self._clock() + self.cooldown_s)

    async def _take_probe(self, deployment_id: str) -> bool:
        self._record(deployment_id).probe_until = self._clock() + self.probe_timeout_s
        return True

    async def _closed(self, deployment_id: str) -> None:
        return None

    async def _probe_released(self, deployment_id: str) -> None:
        return None


@dataclass(frozen=True, slots=True)
class AttemptPermit:
    """One attempt let through; whether it is the probe decides what its verdict does."""

    book: HealthBook
    deployment_id: str
    probe: bool

    async def succeeded(self) -> None:
        await self.book.attempt_succeeded(self.deployment_id, self.probe)

    async def failed(self) -> None:
        await self.book.attempt_failed(self.deployment_id, self.probe)

    async def release(self) -> None:
        await self.book.attempt_released(self.deployment_id, self.probe)


@dataclass(frozen=True, slots=True)
class DeploymentHealth:
    """A ``HealthBook`` bound to one deployment."""

    book: HealthBook
    deployment_id: str

    def available(self) -> bool:
        return self.book.available(self.deployment_id)

    async def acquire(self) -> AttemptPermit | None:
        return await self.book.acquire(self.deployment_id)
