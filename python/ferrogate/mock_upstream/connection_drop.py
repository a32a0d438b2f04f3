"""Drop a client's connection with a TCP reset, which RSGI itself cannot do.

RSGI has no abort: a handler that raises gets a 500, and one that raises mid-stream still
ends the chunked body cleanly. But the Granian worker runs in this process, so the
connection's socket is one of our file descriptors: found by its peer address (the
scope's `client`), it is disconnected with `connect(AF_UNSPEC)`, which on Linux sends an
RST and wakes Granian's poller with ECONNRESET, so Granian closes its side by itself. The
descriptor is never closed here: Granian owns it. Linux only; elsewhere `drop` returns
False and the caller falls back to the closest answer RSGI allows.
"""

from __future__ import annotations

import asyncio
import ctypes
import errno
import fcntl
import logging
import os
import socket
import stat
import struct
import termios
import time

logger = logging.getLogger("ferrogate.mock_upstream")

_FD_DIR = "/proc/self/fd"
_UNSPEC_ADDRESS = struct.pack("H14x", socket.AF_UNSPEC)
_TCP_INFO_BYTES_ACKED = 120  # offset of tcpi_bytes_acked (u64) in Linux's struct tcp_info
_FLUSH_LIMIT_S = 0.2
_FLUSH_POLL_S = 0.001
_libc = ctypes.CDLL(None, use_errno=True) if os.path.isdir(_FD_DIR) else None


def _peer(client: str) -> tuple[str, int]:
    host, _, port = client.rpartition(":")
    return host.strip("[]"), int(port)


def _find_socket(client: str) -> socket.socket | None:
    """A duplicate of the connection's socket (close it after use), or None."""
    peer = _peer(client)
    for name in os.listdir(_FD_DIR):
        try:
            if not stat.S_ISSOCK(os.fstat(int(name)).st_mode):
                continue
            candidate = socket.socket(fileno=os.dup(int(name)))
        except OSError:  # closed meanwhile
            continue
        try:
            if candidate.type == socket.SOCK_STREAM and candidate.getpeername()[:2] == peer:
                return candidate
        except OSError:  # a listening or unconnected socket
            pass
        candidate.close()
    return None


def _unsent_and_unacked(sock: socket.socket) -> tuple[int, int]:
    queued = struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0" * 4))[0]
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    (acked,) = struct.unpack_from("Q", info, _TCP_INFO_BYTES_ACKED)
    return queued, acked


async def _wait_flushed(sock: socket.socket, at_least: int) -> None:
    """Wait until the client has every byte written so far, or give up after a while.

    An RST discards data still queued, and Granian hands our writes to its own thread, so
    a cut right after the last write would often cut the events the test expects. Written
    means: at least `at_least` bytes acknowledged, nothing queued, and no change for two
    polls in a row (Granian may still be writing the tail).
    """
    deadline = time.monotonic() + _FLUSH_LIMIT_S
    last, steady = -1, 0
    while time.monotonic() < deadline and steady < 2:
        await asyncio.sleep(_FLUSH_POLL_S)
        queued, acked = _unsent_and_unacked(sock)
        steady = steady + 1 if (queued == 0 and acked == last and acked >= at_least) else 0
        last = acked


async def drop(client: str, flush_at_least: int | None = None) -> bool:
    """Reset the connection to `client`; first, if given, wait for the written bytes to go."""
    if _libc is None:
        return False
    sock = _find_socket(client)
    if sock is None:
        logger.warning("no socket found for %s; cannot reset the connection", client)
        return False
    with sock:
        if flush_at_least is not None:
            await _wait_flushed(sock, flush_at_least)
        if _libc.connect(sock.fileno(), _UNSPEC_ADDRESS, len(_UNSPEC_ADDRESS)) != 0:
            error = ctypes.get_errno()
            logger.warning("reset of %s failed: %s", client, errno.errorcode.get(error, error))
            return False
    return True
