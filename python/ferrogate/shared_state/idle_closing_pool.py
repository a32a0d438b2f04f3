"""A blocking Redis pool that closes connections left idle, so a burst's extra ones go away.

redis-py's pools keep every connection they ever opened until the process ends: one stall
that piles up requests leaves the pool at that pile's size for good, which on Redis reads
as a leak (bench/soak saw 52 -> 57 connections after a late stall in a 10-minute run).
Here a connection idle for `idle_close_s` has its socket closed; its object stays in the
pool and reconnects if it is ever handed out again, so the pool's own bookkeeping is
untouched. Imported only by `redis_client.connect`: a gateway without Redis never loads
redis-py.
"""

from __future__ import annotations

import time
from contextlib import suppress

from redis.asyncio import BlockingConnectionPool
from redis.asyncio.connection import AbstractConnection

IDLE_CLOSE_S = 30.0


class IdleClosingPool(BlockingConnectionPool):
    def __init__(self, *args, idle_close_s: float = IDLE_CLOSE_S, **kwargs):
        super().__init__(*args, **kwargs)
        self._idle_close_s = idle_close_s
        self._released_at: dict[AbstractConnection, float] = {}  # at most max_connections
        self._swept_at = time.monotonic()

    async def release(self, connection: AbstractConnection) -> None:
        now = time.monotonic()
        self._released_at[connection] = now
        await super().release(connection)
        # Swept on the way back from a request: a pool nobody uses has nothing to shrink.
        if now - self._swept_at >= self._idle_close_s / 2:
            self._swept_at = now
            await self._close_idle(now)

    async def _close_idle(self, now: float) -> None:
        # Under the pool's lock, so no request takes a connection while its socket closes.
        async with self._lock:
            for connection in self._available_connections:
                idle_s = now - self._released_at.get(connection, now)
                if idle_s > self._idle_close_s and connection.is_connected:
                    # A socket that fails to close cleanly is gone all the same, and the
                    # request whose release swept here has its answer: neither may fail it.
                    with suppress(Exception):
                        await connection.disconnect(nowait=True)
