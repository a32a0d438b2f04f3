"""Faults for one mock process: rolled per model request, changed at run time, counted.

State is per worker process; with `--workers` above 1, `/_faults` and `/_stats` reach
whichever worker answers, so fault tests run one worker (the default).
"""

from __future__ import annotations

import logging

from granian.rsgi import HTTPProtocol, Scope

from .client_wait import wait_unless_client_leaves
from .connection_drop import drop
from .fault_answers import fault_answer
from .fault_dice import FaultDice
from .faults import Faults, faults_with
from .mock_stats import MockStats
from .request_faults import CURRENT, RequestFaults

logger = logging.getLogger("ferrogate.mock_upstream")


class FaultInjector:
    def __init__(self, faults: Faults, seed: int | None) -> None:
        self._startup = (faults, seed)
        self.stats = MockStats()
        self._restore()

    @property
    def faults(self) -> Faults:
        return self._faults

    @property
    def seed(self) -> int | None:
        return self._seed

    def change(self, changes: dict[str, object]) -> None:
        """Apply `POST /_faults` fields (ValueError if invalid); a `seed` re-seeds the dice."""
        changes = dict(changes)
        reseed = "seed" in changes
        seed = changes.pop("seed", None)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError("seed must be an integer or null")
        self._faults = faults_with(self._faults, changes)
        if reseed:
            self._seed, self._dice = seed, FaultDice(seed)
        logger.info("faults now %s (seed %s)", self._faults.as_json(), self._seed)

    def reset(self) -> None:
        """Back to the faults and seed the process started with."""
        self._restore()
        logger.info("faults reset to start-up ones")

    def reset_stats(self) -> None:
        self.stats = MockStats()
        self._plain = RequestFaults(None, "", self.stats)

    def _restore(self) -> None:
        self._faults, self._seed = self._startup
        self._dice = FaultDice(self._seed)
        self._plain = RequestFaults(None, "", self.stats)

    async def admit(self, scope: Scope, proto: HTTPProtocol, provider: str) -> bool:
        """Count the request and apply its faults; False if a fault answered it already."""
        self.stats.requests += 1
        faults = self._faults
        if not faults.active:
            CURRENT.set(self._plain)
            return True
        roll = self._dice.roll(faults)
        faulted = self.stats.faults
        if roll.delay_s:
            faulted["latency"] += 1
            if not await wait_unless_client_leaves(proto, roll.delay_s):
                self.stats.cancelled_by_client += 1
                return False
        if roll.outcome == "reset":
            faulted["reset"] += 1
            # If no reset is possible (not Linux), returning without an answer makes
            # Granian send an empty 500: the nearest RSGI allows.
            await drop(scope.client)
            return False
        if roll.outcome == "status":
            faulted["status"] += 1
            status = faults.fault_status
            proto.response_bytes(*fault_answer(provider, status, faults.fault_retry_after))
            return False
        CURRENT.set(RequestFaults(roll, scope.client, self.stats))
        return True
