"""Latency estimates shared by every instance through one Redis hash per model.

Each instance keeps its own EWMAs (``LatencyTracker``) and, every ``sync_every_s``, writes
the ones that changed to ``ferrogate:latency:<model>`` as fields ``<deployment>|<instance>``
holding ``"<seconds> <unix time>"``, each field expiring after ``stale_after_s`` (HPEXPIRE,
Redis 7.4), and reads the other instances' fields back. An estimate is then the mean of this
instance's fresh value and the others' values, so a probe by any instance (a deployment
found recovered, say) reaches all of them, and a deployment another instance measured
recently is not probed again here. Redis unreachable: this instance's own estimates only.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from statistics import fmean

from redis.asyncio import Redis
from redis.typing import EncodableT, FieldT

from ferrogate.routing.latency import LatencyTracker
from ferrogate.routing.redis_sync import SyncLoop, routing_back_off
from ferrogate.shared_state.back_off import REDIS_ERRORS

KEY = "ferrogate:latency:{}"


class RedisLatencyTracker(LatencyTracker):
    """One model's estimates, shared; the Redis client is the caller's to close."""

    def __init__(
        self,
        redis: Redis,
        model: str,
        *,
        alpha: float = 0.3,
        stale_after_s: float = 30.0,
        probe_every_s: float = 5.0,
        sync_every_s: float | None = 1.0,  # None: only explicit ``sync()`` calls use Redis
        back_off_s: float = 1.0,
        clock: Callable[[], float] = time.time,  # wall time: instances compare timestamps
    ) -> None:
        super().__init__(
            alpha=alpha, stale_after_s=stale_after_s, probe_every_s=probe_every_s, clock=clock
        )
        self._redis = redis
        self._key = KEY.format(model)
        self._instance = secrets.token_hex(8)
        self._outage = routing_back_off("latency estimates", back_off_s)
        self._syncer = SyncLoop(self.sync, sync_every_s)
        self._changed: set[str] = set()
        self._others: dict[str, list[float]] = {}  # other instances' fresh values

    def estimate(self, deployment_id: str) -> float | None:
        self._syncer.start()  # an instance that has not answered yet still reads the others
        values = list(self._others.get(deployment_id, ()))
        if super().fresh(deployment_id) or not values:
            own = super().estimate(deployment_id)
            if own is not None:
                values.append(own)
        return fmean(values) if values else None

    def fresh(self, deployment_id: str) -> bool:
        return super().fresh(deployment_id) or bool(self._others.get(deployment_id))

    async def sync(self) -> None:
        """Write this instance's changed estimates and read everyone else's."""
        if self._outage.skipping():
            return
        changed, self._changed = self._changed, set()
        fields = self._fields_for(changed)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                if fields:
                    pipe.hset(self._key, mapping=fields)
                    pipe.hpexpire(self._key, max(1, round(self.stale_after_s * 1000)), *fields)
                pipe.hgetall(self._key)
                replies = await pipe.execute()
        except REDIS_ERRORS as error:
            self._changed |= changed  # sent with the next sync that reaches Redis
            self._outage.failed(error)
            return
        self._outage.succeeded()
        self._others = self._read_others(replies[-1])

    async def aclose(self) -> None:
        await self._syncer.aclose()

    def _observed(self, deployment_id: str) -> None:
        self._changed.add(deployment_id)
        self._syncer.start()

    def _fields_for(self, deployment_ids: set[str]) -> dict[FieldT, EncodableT]:
        fields: dict[FieldT, EncodableT] = {}
        for deployment_id in deployment_ids:
            ewma = self._own[deployment_id]
            fields[f"{deployment_id}|{self._instance}"] = f"{ewma.value!r} {ewma.at!r}"
        return fields

    def _read_others(self, entries: dict) -> dict[str, list[float]]:
        now = self._clock()
        others: dict[str, list[float]] = {}
        for raw_field, raw_value in entries.items():
            deployment_id, _, instance = _text(raw_field).rpartition("|")
            try:
                seconds, at = map(float, _text(raw_value).split(" "))
            except ValueError:
                continue  # not written by this version; it expires by itself
            if instance == self._instance or now - at > self.stale_after_s:
                continue  # an expiry not yet applied, or clocks apart: not fresh
            others.setdefault(deployment_id, []).append(seconds)
        return others


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
