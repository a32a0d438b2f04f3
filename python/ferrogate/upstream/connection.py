"""One keep-alive HTTP/1.1 connection to an upstream, as an asyncio protocol on the serving loop.

Why not a client library: pyreqwest, the best of those measured, runs its I/O on a Rust
thread, so every request crossed threads twice and woke the serving thread from another.
On one core that cost more than the request itself (bench/upstream_client.py: about 42 µs
of CPU a request against 22 µs for a protocol on the loop; whole gateway 168 -> 126 µs).
The response is parsed by httptools (llhttp, Node's parser): framing, chunked bodies and
keep-alive rules are the parts worth not writing by hand.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httptools

# A streamed body waiting for its reader pauses the socket past this many bytes, so a slow
# client cannot make the gateway buffer an upstream's whole answer.
_HIGH_WATER = 256 * 1024
_STATUS_WITHOUT_BODY = (204, 304)


class ConnectionBroken(Exception):
    """The connection closed or failed before the answer was complete."""

    def __init__(self, message: str, *, answered: bool):
        super().__init__(message)
        self.answered = answered  # had any byte of the answer arrived?


class MalformedAnswer(ConnectionBroken):
    """The upstream's bytes were not HTTP/1.1."""


class Deadline:
    """When a whole exchange must be over; each wait gets what is left.

    A timer per wait, and only when a wait happens, instead of asyncio.timeout around the
    exchange: that costs a Timeout object and a reschedule on every request.
    """

    __slots__ = ("_at", "_loop")

    def __init__(self, seconds: float):
        self._loop = asyncio.get_running_loop()
        self._at = self._loop.time() + seconds

    def left(self) -> float:
        left = self._at - self._loop.time()
        if left <= 0:
            raise TimeoutError()
        return left


class H1Connection(asyncio.Protocol):
    """One request at a time: `send`, then `headers()`, then `read()` until None.

    `on_idle` is called with the connection once an answer has been read to its end and the
    connection may carry another request.
    """

    def __init__(self, on_idle: Callable[[H1Connection], None]):
        self._on_idle = on_idle
        self._transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.idle_since = 0.0
        self._reset_exchange()

    def _reset_exchange(self) -> None:
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self._has_length = False
        self._keep_alive = False
        self._chunks: list[bytes] = []
        self._buffered = 0
        self._headers_done = False
        self._complete = False
        self._answered = False
        self._error: ConnectionBroken | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False
        self._released = False

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # Called twice under uvloop (see OriginPool.connect); the transport is the same.
        # uvloop's transports are not asyncio.Transport subclasses, so no isinstance check.
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._answered = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(MalformedAnswer(f"not an HTTP answer: {exc}", answered=True))
            self.abort()
            return
        if self._buffered > _HIGH_WATER and not self._paused and self._transport is not None:
            self._paused = True
            self._transport.pause_reading()
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._headers_done and not self._complete and self._ends_at_close():
            self._complete = True  # a body delimited by the end of the connection
        elif not self._complete:
            reason = str(exc) if exc else "closed by the upstream"
            self._fail(ConnectionBroken(reason, answered=self._answered))
        self._wake()

    # httptools callbacks

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        if name in (b"content-length", b"transfer-encoding"):
            self._has_length = True
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.status = self._parser.get_status_code()
        # Asked now: llhttp forgets the answer's keep-alive verdict once the message ends.
        self._keep_alive = self._parser.should_keep_alive()
        self._headers_done = True

    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)
        self._buffered += len(body)

    def on_message_complete(self) -> None:
        self._complete = True

    # the exchange

    def send(self, data: bytes) -> None:
        assert self._transport is not None
        self._reset_exchange()
        self._transport.write(data)

    def header(self, name: bytes) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value.decode("latin-1")
        return None

    async def wait_headers(self, deadline: Deadline) -> None:
        while not self._headers_done:
            await self._wait(deadline.left())

    async def read(self, timeout_s: float | Deadline) -> bytes | None:
        """The body bytes that arrived since the last read, or None at the end.

        TimeoutError when nothing arrives for `timeout_s` (or by the deadline); then the
        connection is unusable.
        """
        while not self._chunks:
            if self._complete:
                self._release()
                return None
            await self._wait(timeout_s.left() if isinstance(timeout_s, Deadline) else timeout_s)
        chunks, self._chunks, self._buffered = self._chunks, [], 0
        if self._paused and self._transport is not None:
            self._paused = False
            self._transport.resume_reading()
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    async def read_all(self, deadline: Deadline) -> bytes:
        parts = []
        while (part := await self.read(deadline)) is not None:
            parts.append(part)
        return b"".join(parts)

    def close(self) -> None:
        """Done with this exchange: kept for the next request if the answer arrived whole
        (a stream's reader may stop at its last event, before the body's end is read),
        otherwise dropped at once, which the upstream sees as a cancel."""
        if self._complete:
            self._chunks, self._buffered = [], 0
            self._release()
        else:
            self.abort()

    def abort(self) -> None:
        """Drop the connection at once: the upstream sees its request cancelled."""
        self.closed = True
        if self._transport is not None:
            self._transport.abort()

    async def _wait(self, timeout_s: float) -> None:
        if self._error is not None:
            raise self._error
        if self.closed and not self._complete:
            raise ConnectionBroken("closed by the upstream", answered=self._answered)
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        # One timer handle per wait, only when a wait happens: cheaper than asyncio.timeout.
        timer = loop.call_later(timeout_s, _time_out, waiter)
        try:
            await waiter
        finally:
            self._waiter = None
            timer.cancel()
        if self._error is not None:
            raise self._error

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, error: ConnectionBroken) -> None:
        if self._error is None:
            self._error = error

    def _ends_at_close(self) -> bool:
        return not self._has_length and self.status not in _STATUS_WITHOUT_BODY

    def _release(self) -> None:
        """The answer was read to its end: keep the connection for the next request or close."""
        if self.closed or self._released:
            return
        self._released = True
        if not self._keep_alive:
            self.abort()
            return
        self._on_idle(self)


def _time_out(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())
