"""Cooldowns shared by every instance through Redis.

An instance whose breaker trips writes ``ferrogate:health:cooldown:<deployment>`` with a PX
expiry of the cooldown; every instance reads those keys every ``sync_every_s`` and opens its
own breaker until they expire, so a deployment one instance found failing is spared by all.
When a cooldown ends, one instance at a time probes (``ferrogate:health:probe:<deployment>``,
set NX with a PX of the probe timeout); each instance closes its own breaker with its own
probe, so recovery reaches instances one probe at a time.

Failures are counted per instance: a trip needs ``failures_to_trip`` failures seen by one
instance. Redis unreachable: each instance keeps its own breakers, as ``HealthBook`` does.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis

from ferrogate.routing.health import AttemptPermit, HealthBook
from ferrogate.routing.redis_sync import SyncLoop, routing_back_off
from ferrogate.shared_state.back_off import REDIS_ERRORS

COOLDOWN_KEY = "ferrogate:health:cooldown:{}"
PROBE_KEY = "ferrogate:health:probe:{}"
PROBE_RECHECK_S = 1.0  # while another instance probes, ask again after this long
UNREACHABLE = object()  # what ``_call`` returns when Redis was skipped or failed
DELETE_IF_OURS = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class RedisHealthBook(HealthBook):
    """A ``HealthBook`` whose cooldowns and probes are shared; the Redis client is the
    caller's to close."""

    def __init__(
        self,
        redis: Redis,
        *,
        failures_to_trip: int = 3,
        cooldown_s: float = 30.0,
        probe_timeout_s: float = 60.0,
        sync_every_s: float | None = 1.0,  # None: only explicit ``sync()`` calls read Redis
        back_off_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            failures_to_trip=failures_to_trip,
            cooldown_s=cooldown_s,
            probe_timeout_s=probe_timeout_s,
            clock=clock,
        )
        self._redis = redis
        self._instance = secrets.token_hex(8)
        self._delete_if_ours = redis.register_script(DELETE_IF_OURS)
        self._outage = routing_back_off("deployment cooldowns", back_off_s)
        self._syncer = SyncLoop(self.sync, sync_every_s)

    async def sync(self) -> None:
        """Open here every breaker another instance has put in cooldown."""
        deployment_ids = [d for d in self._known() if not self._probing(d)]
        if not deployment_ids or self._outage.skipping():
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for deployment_id in deployment_ids:
                    pipe.pttl(COOLDOWN_KEY.format(deployment_id))
                remaining_ms = await pipe.execute()
        except REDIS_ERRORS as error:
            self._outage.failed(error)
            return
        self._outage.succeeded()
        now = self._clock()
        for deployment_id, ms in zip(deployment_ids, remaining_ms, strict=True):
            if ms > 0:  # -2: no cooldown; -1 cannot happen, every cooldown has an expiry
                self._open_locally(deployment_id, now + ms / 1000)

    async def acquire(self, deployment_id: str) -> AttemptPermit | None:
        self._syncer.start()
        return await super().acquire(deployment_id)

    async def aclose(self) -> None:
        await self._syncer.aclose()

    async def _trip(self, deployment_id: str) -> None:
        await super()._trip(deployment_id)
        key = COOLDOWN_KEY.format(deployment_id)
        px = max(1, round(self.cooldown_s * 1000))
        await self._call(lambda: self._redis.set(key, self._instance, px=px))
        await self._give_back_probe(deployment_id)  # a failed probe must not block the next

    async def _take_probe(self, deployment_id: str) -> bool:
        await super()._take_probe(deployment_id)
        px = max(1, round(self.probe_timeout_s * 1000))
        key = PROBE_KEY.format(deployment_id)
        taken = await self._call(lambda: self._redis.set(key, self._instance, px=px, nx=True))
        if taken is UNREACHABLE:  # this instance probes on its own
            return True
        if not taken:  # None: SET NX found another instance's probe
            record = self._record(deployment_id)
            record.probe_until = self._clock() + min(PROBE_RECHECK_S, self.probe_timeout_s)
        return bool(taken)

    async def _closed(self, deployment_id: str) -> None:
        await self._give_back_probe(deployment_id)

    async def _probe_released(self, deployment_id: str) -> None:
        await self._give_back_probe(deployment_id)

    async def _give_back_probe(self, deployment_id: str) -> None:
        key = PROBE_KEY.format(deployment_id)
        await self._call(lambda: self._delete_if_ours(keys=[key], args=[self._instance]))

    async def _call(self, command: Callable[[], Awaitable[Any]]) -> Any:
        """The command's reply, or ``UNREACHABLE`` when Redis is skipped or fails."""
        if self._outage.skipping():
            return UNREACHABLE
        try:
            reply = await command()
        except REDIS_ERRORS as error:
            self._outage.failed(error)
            return UNREACHABLE
        self._outage.succeeded()
        return reply
