"""What the routing stores shared through Redis (cooldowns, latency estimates) have in common.

Routing never waits on Redis: while it is unreachable, health and latency stay local. Each
store backs off after a failure and reads and writes Redis from a background task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from ferrogate.shared_state.back_off import RedisBackOff

log = logging.getLogger("ferrogate.routing")


def routing_back_off(affected: str, back_off_s: float) -> RedisBackOff:
    """``affected`` names the state for the log line, e.g. "deployment cooldowns"."""
    return RedisBackOff(log, affected, "this instance's own view only", back_off_s=back_off_s)


class SyncLoop:
    """Runs ``sync`` every ``every_s`` from the first ``start()`` until ``aclose()``.

    Started on first use rather than at construction: the registry builds the stores before
    the server's event loop runs. ``every_s=None`` never starts it (tests call ``sync()``).
    """

    def __init__(self, sync: Callable[[], Awaitable[None]], every_s: float | None) -> None:
        self._sync = sync
        self._every_s = every_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._every_s is None or self._task is not None:
            return
        with contextlib.suppress(RuntimeError):  # no running loop: used outside the server
            self._task = asyncio.get_running_loop().create_task(self._forever(self._every_s))

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _forever(self, every_s: float) -> None:
        while True:
            await asyncio.sleep(every_s)
            await self._sync()
