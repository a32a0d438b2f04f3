"""Where workers leave their slots for whichever worker answers /admin/stats.

- `OwnBoard`: one process; nothing to share.
- `FolderBoard`: several workers of one gateway, no Redis: a JSON file per worker in a
  folder they share (next to the Prometheus multiprocess files).
- `RedisBoard`: every worker of every instance on one Redis: a hash per worker, one field
  per slot, so a publish writes only the slots that changed.

A worker that exits leaves its slots on the board until they leave the window, so the
fifteen minutes shown keep its traffic. `read` gives each worker's slots by worker id.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import orjson

from .slot import Slot
from .window import WINDOW_S, Window

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("ferrogate.stats")
Slots = dict[int, Slot]


class Board(Protocol):
    name: str

    async def publish(
        self, worker: str, window: Window, changed: set[int], gone: list[int]
    ) -> bool:
        """Write ``changed`` slots and drop ``gone`` ones; False if the board was unreachable
        (the caller publishes them again next time)."""
        ...

    async def read(self) -> dict[str, Slots] | None:
        """Every worker's slots; None if the board was unreachable."""
        ...

    async def aclose(self) -> None: ...


class OwnBoard:
    name = "process"

    async def publish(
        self, worker: str, window: Window, changed: set[int], gone: list[int]
    ) -> bool:
        return True

    async def read(self) -> dict[str, Slots] | None:
        return {}

    async def aclose(self) -> None:
        return None


class FolderBoard:
    """Whole windows, one file each; a file not touched for the window's length is stale."""

    name = "workers"

    def __init__(self, folder: str):
        os.makedirs(folder, exist_ok=True)
        self._folder = folder

    async def publish(
        self, worker: str, window: Window, changed: set[int], gone: list[int]
    ) -> bool:
        if not changed and not gone:
            return True
        path = os.path.join(self._folder, f"{worker}.json")
        body = orjson.dumps(
            {str(start): slot.to_json() for start, slot in window.slots.items()},
            option=orjson.OPT_NON_STR_KEYS,
        )
        # Written aside and renamed: a reader never sees half a file.
        partial = f"{path}.{os.getpid()}.part"
        with open(partial, "wb") as file:
            file.write(body)
        os.replace(partial, path)
        return True

    async def read(self) -> dict[str, Slots] | None:
        stale_before = time.time() - WINDOW_S
        boards: dict[str, Slots] = {}
        for name in os.listdir(self._folder):
            if not name.endswith(".json"):
                continue
            path = os.path.join(self._folder, name)
            try:
                if os.path.getmtime(path) < stale_before:
                    os.remove(path)
                    continue
                with open(path, "rb") as file:
                    raw = orjson.loads(file.read())
            except (OSError, orjson.JSONDecodeError):
                continue  # removed meanwhile, or written by something else
            boards[name.removesuffix(".json")] = _slots(raw.items())
        return boards

    async def aclose(self) -> None:
        return None


class RedisBoard:
    name = "redis"
    _WORKERS = "ferrogate:stats:workers"  # sorted set: worker id -> last publish (Unix)

    def __init__(self, redis: Redis, *, owns_client: bool = True, back_off_s: float = 1.0):
        from ferrogate.shared_state.back_off import RedisBackOff

        self._redis = redis
        self._owns_client = owns_client
        self._back_off = RedisBackOff(
            log, "dashboard figures", "this worker's figures only", back_off_s=back_off_s
        )

    @staticmethod
    def _key(worker: str) -> str:
        return f"ferrogate:stats:worker:{worker}"

    async def publish(
        self, worker: str, window: Window, changed: set[int], gone: list[int]
    ) -> bool:
        from ferrogate.shared_state.back_off import REDIS_ERRORS

        if self._back_off.skipping():
            return False
        key = self._key(worker)
        now = time.time()
        pipe = self._redis.pipeline(transaction=False)
        fields = {
            str(start): orjson.dumps(window.slots[start].to_json(), option=orjson.OPT_NON_STR_KEYS)
            for start in changed
            if start in window.slots
        }
        if fields:
            pipe.hset(key, mapping=fields)
        if gone:
            pipe.hdel(key, *(str(start) for start in gone))
        pipe.expire(key, WINDOW_S)
        pipe.zadd(self._WORKERS, {worker: now})
        pipe.zremrangebyscore(self._WORKERS, "-inf", now - WINDOW_S)
        try:
            await pipe.execute()
        except REDIS_ERRORS as exc:
            self._back_off.failed(exc)
            return False
        self._back_off.succeeded()
        return True

    async def read(self) -> dict[str, Slots] | None:
        from ferrogate.shared_state.back_off import REDIS_ERRORS

        if self._back_off.skipping():
            return None
        try:
            workers = await self._redis.zrangebyscore(self._WORKERS, time.time() - WINDOW_S, "+inf")
            pipe = self._redis.pipeline(transaction=False)
            for worker in workers:
                pipe.hgetall(self._key(worker.decode()))
            hashes = await pipe.execute()
        except REDIS_ERRORS as exc:
            self._back_off.failed(exc)
            return None
        self._back_off.succeeded()
        return {
            worker.decode(): _slots((start, orjson.loads(raw)) for start, raw in fields.items())
            for worker, fields in zip(workers, hashes, strict=True)
        }

    async def aclose(self) -> None:
        if self._owns_client:
            await self._redis.aclose()


def _slots(items: Iterable[tuple[str | bytes, dict]]) -> Slots:
    slots: Slots = {}
    for start, data in items:
        try:
            slots[int(start)] = Slot.from_json(data)
        except (TypeError, ValueError, KeyError, IndexError):
            continue  # a slot some other version wrote; the rest still count
    return slots
