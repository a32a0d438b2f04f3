"""The usage log: one JSON line per request, written off the request path.

``write()`` appends the record's line to a bounded in-memory buffer (the core's
`JsonLines`); a background task in the running event loop takes whole lines from it in
chunks and hands them to the sink. A full buffer drops the new line and counts it in
``dropped``.

A sink that fails (Redis down, disk full) keeps its chunk and retries it every ``retry_s``;
meanwhile the buffer fills and further lines are dropped, so memory stays bounded by
``max_queue`` lines plus one chunk, and the lines kept are delivered in order once the sink
is back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Literal

from ferrogate.core import JsonLines

from .record import RequestRecord
from .usage_line import usage_fields, usage_row, usage_row_with_text
from .usage_sinks import DEFAULT_STREAM_MAXLEN, UsageSink, file_sink, redis_stream_sink, stdout_sink

log = logging.getLogger("ferrogate.telemetry")

SinkKind = Literal["file", "stdout", "redis", "off"]
WARN_EVERY_S = 30.0
# Lines wait this long for company before a write: a line is late by at most this much.
LINGER_S = 0.05


class UsageLog:
    def __init__(
        self,
        sink: SinkKind,
        *,
        path: str | None = None,
        redis_url: str | None = None,
        stream_key: str = "ferrogate:usage",
        stream_maxlen: int = DEFAULT_STREAM_MAXLEN,
        max_queue: int = 10_000,
        include_text: bool = False,
        retry_s: float = 1.0,
    ) -> None:
        self._sink = _open_sink(sink, path, redis_url, stream_key, stream_maxlen)
        self._row = usage_row_with_text if include_text else usage_row
        self._max_queue = max_queue
        self._retry_s = retry_s
        self._lines = JsonLines(usage_fields(include_text=include_text))
        self._chunk = b""  # whole lines taken from the buffer, not yet delivered
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = self._sink is None
        self._drop_warning = _EveryWarning("usage log queue full: %d records dropped so far")
        self._failure_warning = _EveryWarning("usage log sink failed %d times so far: %s")
        self.dropped = 0  # lines lost: queue full, unencodable, or undelivered at close
        self.failures = 0  # sink calls that raised

    @property
    def enabled(self) -> bool:
        return self._sink is not None

    def write(self, record: RequestRecord) -> None:
        """Queue the record's line; returns at once and never raises."""
        if self._closed:
            return
        if len(self._lines) >= self._max_queue:
            self.dropped += 1
            self._drop_warning.maybe(self.dropped)
            return
        try:
            self._lines.push(self._row(record))
        except Exception:  # an odd value from some stage must not fail the request
            self.dropped += 1
            log.exception("usage log could not encode request %s", record.request_id)
            return
        if self._task is None:
            self._start_draining()
        self._wake.set()

    async def aclose(self, timeout_s: float = 5.0) -> None:
        """Deliver what is queued, waiting at most ``timeout_s``, then close the sink."""
        if self._sink is None or self._closed:
            return
        self._closed = True
        if self._task is None:
            self._start_draining()
        self._wake.set()
        assert self._task is not None
        done, _ = await asyncio.wait({self._task}, timeout=timeout_s)
        if not done:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.dropped += len(self._lines) + self._chunk.count(b"\n")
        self._lines.take(self._lines.size)  # what is left is dropped, and its memory freed
        self._chunk = b""
        try:
            await self._sink.aclose()
        except Exception as error:  # closing a dead Redis connection, say
            log.warning("usage log sink did not close cleanly: %s", error)

    def _start_draining(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # written outside a loop: the next write or aclose() starts it
            return
        self._task = loop.create_task(self._drain(), name="ferrogate-usage-log")

    async def _drain(self) -> None:
        assert self._sink is not None
        while True:
            await self._wake.wait()
            if not self._closed:
                # Let lines gather: woken for each request, the drain cost a task switch
                # and a write per line or two (~15 µs a request in process at c=16).
                await asyncio.sleep(LINGER_S)
            self._wake.clear()
            while self._lines or self._chunk:
                if not self._chunk:
                    self._chunk = self._lines.take(self._sink.chunk_bytes)
                await self._deliver_chunk(self._sink)
            if self._closed:
                return

    async def _deliver_chunk(self, sink: UsageSink) -> None:
        try:
            await sink.write(self._chunk)
            self._chunk = b""
        except Exception as error:
            self.failures += 1
            self._failure_warning.maybe(self.failures, f"{sink.name}: {error!r}")
            await asyncio.sleep(self._retry_s)


def _open_sink(
    kind: SinkKind, path: str | None, redis_url: str | None, stream_key: str, stream_maxlen: int
) -> UsageSink | None:
    if kind == "off":
        return None
    if kind == "stdout":
        return stdout_sink()
    if kind == "file":
        if not path:
            raise ValueError("the usage log's file sink needs a path")
        return file_sink(path)
    if kind == "redis":
        if not redis_url:
            raise ValueError("the usage log's redis sink needs a redis_url")
        return redis_stream_sink(redis_url, stream_key, stream_maxlen)
    raise ValueError(f"unknown usage log sink {kind!r}; expected file, stdout, redis or off")


class _EveryWarning:
    """A warning logged at most once per ``WARN_EVERY_S``: drops and failures repeat per request."""

    def __init__(self, message: str) -> None:
        self._message = message
        self._next_at = float("-inf")

    def maybe(self, *args: object) -> None:
        now = time.monotonic()
        if now >= self._next_at:
            self._next_at = now + WARN_EVERY_S
            log.warning(self._message, *args)
