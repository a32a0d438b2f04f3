"""Ends a stream's wait for its next chunk when it idles too long or the stream runs too long,
with one timer a stream instead of one a chunk.

`asyncio.timeout` around each wait costs about 6 µs a chunk here (a context object and a
timer handle made and cancelled each time): for a 500-token stream from a real upstream,
which sends a chunk per token, that is 3 ms of CPU. The watchdog instead keeps one timer
armed; when it fires it looks at when the current wait began, and either cancels the waiting
task (the wait ran out) or arms itself for the earliest moment the wait could run out. A
stream that keeps talking re-arms it once per idle period, not once per chunk.

Time spent handing a chunk to the client does not count as idle: only waits do.
"""

from __future__ import annotations

import asyncio
from typing import Literal

Expiry = Literal["idle", "duration"]


class StreamWatchdog:
    """``idle_s``: the longest wait for one chunk; ``deadline``: loop time after which no
    wait may go on. Either may be None. Call `waiting` before each wait and `got` after;
    a wait the watchdog ended raises CancelledError with `expired` set (see `ended_wait`)."""

    __slots__ = ("_deadline", "_handle", "_idle_s", "_loop", "_since", "_task", "expired")

    def __init__(self, idle_s: float | None, deadline: float | None):
        self._loop = asyncio.get_running_loop()
        self._idle_s = idle_s
        self._deadline = deadline
        self._since: float | None = None  # loop time the current wait began; None: not waiting
        self._task: asyncio.Task | None = None
        self._handle: asyncio.TimerHandle | None = None
        self.expired: Expiry | None = None

    def out_of_time(self) -> bool:
        """The duration bound passed: checked before a wait, as chunks may never stop."""
        if self._deadline is not None and self._loop.time() >= self._deadline:
            self.expired = "duration"
            return True
        return False

    def waiting(self) -> None:
        self._since = self._loop.time()
        self._task = asyncio.current_task()
        if self._handle is None:
            self._arm(self._since)

    def got(self) -> None:
        self._since = None

    def ended_wait(self) -> bool:
        """After a CancelledError from a wait: True if the watchdog ended it (and nothing
        else asked to cancel the task, e.g. a client that left), so the stream times out."""
        task = self._task
        return self.expired is not None and task is not None and task.uncancel() == 0

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _arm(self, since: float) -> None:
        """Fire when a wait that began at ``since`` would run out."""
        when = [self._deadline] if self._deadline is not None else []
        if self._idle_s is not None:
            when.append(since + self._idle_s)
        self._handle = self._loop.call_at(min(when), self._check)

    def _check(self) -> None:
        self._handle = None
        since = self._since
        if since is None or self._task is None:
            return  # between waits: the next wait arms the timer again
        now = self._loop.time()
        if self._deadline is not None and now >= self._deadline:
            self.expired = "duration"
        elif self._idle_s is not None and now >= since + self._idle_s:
            self.expired = "idle"
        else:
            self._arm(since)  # this wait began after the one the timer was armed for
            return
        self._task.cancel()
