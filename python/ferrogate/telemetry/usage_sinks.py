"""Where usage-log lines go: an append-only file, stdout, or a Redis stream.

Each sink takes a chunk of whole lines, each ending in a newline, of at most its
``chunk_bytes`` (unless one line alone is longer), and either delivers all of it or raises;
the caller then retries the same chunk.
"""

from __future__ import annotations

import os
import select
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from redis.asyncio import Redis

# Several worker processes append to one file: O_APPEND puts every write() at the end, and
# Linux does not interleave one write() to a regular file with another, so a line written in
# one call stays whole. A chunk of lines up to this size is one call, to save syscalls.
FILE_CHUNK_BYTES = 64 * 1024
# Workers share one stdout, often a pipe, where only writes up to PIPE_BUF are atomic.
STDOUT_CHUNK_BYTES = select.PIPE_BUF
# One pipelined round trip of XADDs per chunk: a few hundred lines.
REDIS_CHUNK_BYTES = 128 * 1024
DEFAULT_STREAM_MAXLEN = 100_000  # about 60 MB of ~600-byte entries; trimmed approximately
STREAM_FIELD = "json"  # each stream entry holds one field: the line


class UsageSink(Protocol):
    name: str
    chunk_bytes: int

    async def write(self, chunk: bytes) -> None: ...

    async def aclose(self) -> None: ...


class FdSink:
    """Writes to a file descriptor directly from the event loop.

    A write to a local file or a drained pipe lands in a kernel buffer in a few microseconds;
    handing each batch to a thread would cost more than the write itself.
    """

    def __init__(self, name: str, fd: int, chunk_bytes: int, *, owns_fd: bool) -> None:
        self.name = name
        self.chunk_bytes = chunk_bytes
        self._fd = fd
        self._owns_fd = owns_fd

    async def write(self, chunk: bytes) -> None:
        # A short write happens only near a full disk or on a signal; the rest follows at
        # once.
        view = memoryview(chunk)
        while view:
            view = view[os.write(self._fd, view) :]

    async def aclose(self) -> None:
        if self._owns_fd:
            os.close(self._fd)


def file_sink(path: str) -> FdSink:
    """Opened once, here, so a bad path fails at startup rather than on the first request."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    return FdSink("file", fd, FILE_CHUNK_BYTES, owns_fd=True)


def stdout_sink() -> FdSink:
    return FdSink("stdout", 1, STDOUT_CHUNK_BYTES, owns_fd=False)


class RedisStreamSink:
    """XADD per line, one pipelined round trip per batch, the stream capped with MAXLEN ~."""

    name = "redis"
    chunk_bytes = REDIS_CHUNK_BYTES

    def __init__(self, client: Redis, stream_key: str, maxlen: int) -> None:
        self._client = client
        self._stream_key = stream_key
        self._maxlen = maxlen

    async def write(self, chunk: bytes) -> None:
        pipe = self._client.pipeline(transaction=False)
        for line in chunk.split(b"\n")[:-1]:  # JSON lines hold no raw newline
            pipe.xadd(self._stream_key, {STREAM_FIELD: line}, maxlen=self._maxlen, approximate=True)
        # A failure part-way leaves every line to be sent again: some may arrive twice.
        await pipe.execute()

    async def aclose(self) -> None:
        await self._client.aclose()


def redis_stream_sink(redis_url: str, stream_key: str, maxlen: int) -> RedisStreamSink:
    from ferrogate.shared_state.redis_client import connect

    # One batch in flight at a time: a second connection only covers a reconnect.
    return RedisStreamSink(connect(redis_url, max_connections=2), stream_key, maxlen)
