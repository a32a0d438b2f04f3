"""Idle keep-alive connections to one origin (scheme, host, port), on one event loop."""

from __future__ import annotations

import asyncio
import socket
import ssl
from functools import cache

import certifi

from .connection import H1Connection

# Upstreams close idle keep-alive connections on their own schedule (often 5-60 s); one
# reused past that fails at once and is retried on a new one, so this only bounds the waste.
IDLE_LIMIT_S = 50.0


@cache
def tls_context() -> ssl.SSLContext:
    # Mozilla's roots from certifi: slim container images often lack a system bundle.
    return ssl.create_default_context(cafile=certifi.where())


class OriginPool:
    def __init__(self, host: str, port: int, tls: bool, connect_timeout_s: float):
        self._host = host
        self._port = port
        self._tls = tls_context() if tls else None
        self._connect_timeout_s = connect_timeout_s
        self._idle: list[H1Connection] = []
        self._loop = asyncio.get_running_loop()

    def take_idle(self) -> H1Connection | None:
        """The most recently used idle connection still open and fresh, if any."""
        now = self._loop.time()
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed and now - connection.idle_since < IDLE_LIMIT_S:
                return connection
            connection.abort()
        return None

    async def connect(self, time_left_s: float) -> H1Connection:
        """A new connection; raises OSError or TimeoutError."""
        async with asyncio.timeout(min(self._connect_timeout_s, time_left_s)):
            transport, connection = await self._loop.create_connection(
                lambda: H1Connection(self._put_idle),
                self._host,
                self._port,
                ssl=self._tls,
                server_hostname=self._host if self._tls else None,
                family=socket.AF_UNSPEC,
            )
        # uvloop may call connection_made a loop turn after create_connection returns.
        connection.connection_made(transport)
        return connection

    def _put_idle(self, connection: H1Connection) -> None:
        now = connection.idle_since = self._loop.time()
        self._idle.append(connection)
        # Taken newest first, so what a burst opened sits at the front, idle: closed here
        # once past the limit, or its sockets would stay open until the upstream drops them.
        while now - self._idle[0].idle_since >= IDLE_LIMIT_S:
            self._idle.pop(0).abort()

    def close(self) -> None:
        for connection in self._idle:
            connection.abort()
        self._idle.clear()
