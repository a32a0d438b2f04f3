"""Whether to try Redis now, and the warnings while it is down.

Stores that keep working without Redis (limits, routing) leave it alone for ``back_off_s``
after a failure, so a dead server does not add a connect timeout to every request; the first
call after that tries it again, so recovery needs nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from redis.exceptions import RedisError

# What counts as Redis unreachable: a pool timeout, a refused or dropped connection, a
# socket timeout (some surface as asyncio's own TimeoutError).
REDIS_ERRORS = (RedisError, OSError, asyncio.TimeoutError)


class RedisBackOff:
    """Warns at most every ``warn_every_s`` while Redis fails, and once when it is back.

    The warning reads "Redis unreachable for <affected> (<error>); <meanwhile>", e.g.
    ``affected="rate limits"``, ``meanwhile="local limits only"``.
    """

    def __init__(
        self,
        log: logging.Logger,
        affected: str,
        meanwhile: str,
        *,
        back_off_s: float = 1.0,
        warn_every_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = log
        self._affected = affected
        self._meanwhile = meanwhile
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
            self._log.warning("Redis unreachable for %s (%s: %s); %s", self._affected,
                              type(error).__name__, error, self._meanwhile)  # fmt: skip

    def succeeded(self) -> None:
        if self._down:
            self._down = False
            self._log.info("Redis reachable again for %s", self._affected)
