"""Flushing buffered metrics on a timer, so an idle worker's last requests reach /metrics.

A worker flushes when an `observe` finds the interval passed; one that gets no more
requests would keep its last second of counts to itself, so a `call_later` chain on the
worker's event loop flushes every interval too. No thread: the loop already runs there,
and flushing from another thread would race the dicts `observe` fills.
"""

from __future__ import annotations

import asyncio
import atexit
import weakref
from collections.abc import Callable


class FlushTimer:
    """Calls ``flush`` every ``interval_s`` on the running event loop, once `start`ed.

    Holds ``flush`` weakly: a metrics object nobody uses any more ends its chain. `start`
    outside a running loop does nothing, and on a new loop (tests run several) starts a new
    chain; the old loop's ends on its next tick.
    """

    __slots__ = ("__weakref__", "_flush", "_interval_s", "_loop")

    def __init__(self, flush: Callable[[], None], interval_s: float):
        self._flush = weakref.WeakMethod(flush)
        self._interval_s = interval_s
        self._loop: asyncio.AbstractEventLoop | None = None
        # A worker that exits cleanly flushes what it still holds.
        atexit.register(_flush_if_alive, self._flush)

    def start(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if loop is not self._loop:
            self._loop = loop
            loop.call_later(self._interval_s, _tick, weakref.ref(self), loop)


def _tick(timer_ref: weakref.ref[FlushTimer], loop: asyncio.AbstractEventLoop) -> None:
    timer = timer_ref()
    if timer is None or timer._loop is not loop:
        return
    flush = timer._flush()
    if flush is None:
        return
    # Scheduled before flushing, so a flush that raises (a full disk in multiprocess mode)
    # is reported by the loop and the chain goes on.
    loop.call_later(timer._interval_s, _tick, timer_ref, loop)
    flush()


def _flush_if_alive(flush_ref: weakref.WeakMethod) -> None:
    flush = flush_ref()
    if flush is not None:
        flush()
