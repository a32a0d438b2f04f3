"""Whether to try Redis now, and the warnings while it is down."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger("ferrogate.limits")


class RedisOutage:
    """After a failure Redis is skipped for ``back_off_s``, so a dead server does not add a
    connect timeout to every request; the next call after that tries it again."""

    def __init__(
        self,
        policy: str,
        back_off_s: float = 1.0,
        warn_every_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._policy = policy
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
            action = "local limits only" if self._policy == "fail-open" else "answering 503"
            log.warning("Redis unreachable for rate limits (%s: %s); %s", type(error).__name__,
                        error, action)  # fmt: skip

    def succeeded(self) -> None:
        if self._down:
            self._down = False
            log.info("Redis reachable again for rate limits")
