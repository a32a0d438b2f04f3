"""When routing state shared through Redis is tried again after Redis failed.

Routing never waits on Redis: while it is unreachable, health and latency stay local. After
a failure Redis is left alone for ``back_off_s`` so a dead server does not add a connect
timeout to every routing decision; the first call after that tries it again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from redis.exceptions import RedisError

log = logging.getLogger("ferrogate.routing")
REDIS_ERRORS = (RedisError, OSError, asyncio.TimeoutError)


class RedisBackOff:
    def __init__(
        self,
        what: str,
        *,
        back_off_s: float = 1.0,
        warn_every_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._what = what  # e.g. "deployment cooldowns", for the log line
        self._back_off_s = back_off_s
        self._warn_every_s = warn_every_s
        self._clock = clock
        self._skip_until = float("-inf")
        self._next_warning = float("-inf")
        self._down = False

    def skipping(self) -> bool:
        return self._clock() < self._skip_until

    def failed(self, error: BaseException) -> None:
        now = self._clock()
        self._skip_until = now + self._back_off_s
        self._down = True
        if now >= self._next_warning:
            self._next_warning = now + self._warn_every_s
            log.warning("Redis unreachable for %s (%s: %s); this instance's own view only",
                        self._what, type(error).__name__, error)  # fmt: skip

    def succeeded(self) -> None:
        if self._down:
            self._down = False
            log.info("Redis reachable again for %s", self._what)
