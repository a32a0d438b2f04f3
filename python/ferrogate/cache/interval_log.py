"""A warning logged at most once per interval, with how often its cause happened meanwhile."""

from __future__ import annotations

import logging
import time


class IntervalWarning:
    """Counts every occurrence; logs the first, then at most one per ``interval_s``.

    For failures that repeat on every request while a dependency is down: the count shows
    the scale without one log line per request.
    """

    def __init__(self, log: logging.Logger, what: str, interval_s: float = 30.0) -> None:
        self._log = log
        self._what = what
        self._interval_s = interval_s
        self._logged_at: float | None = None
        self.count = 0

    def record(self, error: BaseException) -> None:
        self.count += 1
        now = time.monotonic()
        if self._logged_at is None or now - self._logged_at >= self._interval_s:
            self._logged_at = now
            self._log.warning("%s (%d times so far): %s", self._what, self.count, error)
