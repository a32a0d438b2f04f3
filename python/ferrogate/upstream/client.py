"""Keep-alive HTTP/1.1 client for upstream calls, on the serving event loop.

Connections live in `connection.py` (why not a library: see there). Transport failures are
mapped here, once, to the gateway's 502 and 504 errors.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from time import perf_counter
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ferrogate.errors import GatewayError, UpstreamTimeout, UpstreamUnreachable

from .connection import ConnectionBroken, Deadline, H1Connection, MalformedAnswer
from .pool import OriginPool

if TYPE_CHECKING:
    from ferrogate.config import Deployment


_RETRY_HINTS = ("retry-after", "retry-after-ms")


def _retry_hints(connection: H1Connection) -> list[tuple[str, str]]:
    """The upstream's own advice on when to retry, passed on with its error."""
    hints = []
    for name in _RETRY_HINTS:
        value = connection.header(name.encode())
        if value is not None:
            hints.append((name, value))
    return hints


def _annotated(error: GatewayError, hints: list[tuple[str, str]]) -> GatewayError:
    error.headers.extend(hint for hint in hints if hint not in error.headers)
    return error


@dataclass(slots=True)
class UpstreamReply:
    status: int
    body: bytes
    elapsed_s: float = 0.0  # from sending the request to the last byte of the answer
    retry_hints: list[tuple[str, str]] = field(default_factory=list)  # on errors only

    def annotate(self, error: GatewayError) -> GatewayError:
        """`error` with the upstream's retry-after headers, for clients and the router."""
        return _annotated(error, self.retry_hints)


class UpstreamStream:
    """An open streamed response: check `status`, then iterate `chunks()` once, then close."""

    def __init__(
        self, connection: H1Connection, provider: str, read_timeout_s: float, elapsed_s: float
    ):
        self._connection: H1Connection | None = connection
        self._provider = provider
        self._read_timeout_s = read_timeout_s
        self.status: int = connection.status
        self.elapsed_s = elapsed_s  # from sending the request to the response headers
        self._hints = _retry_hints(connection) if connection.status != 200 else []

    def annotate(self, error: GatewayError) -> GatewayError:
        """`error` with the upstream's retry-after headers, for clients and the router."""
        return _annotated(error, self._hints)

    async def read_all(self) -> bytes:
        parts = [chunk async for chunk in self.chunks()]
        return b"".join(parts)

    async def read_and_close(self) -> bytes:
        """The whole body of an answer not worth streaming (an error), then the close."""
        try:
            return await self.read_all()
        finally:
            await self.close()

    async def chunks(self) -> AsyncIterator[bytes]:
        while (connection := self._connection) is not None:
            try:
                chunk = await connection.read(self._read_timeout_s)
            except TimeoutError as exc:
                raise _map_error(exc, self._provider) from exc
            except ConnectionBroken as exc:
                message = f"the connection to {self._provider} broke mid-stream"
                raise UpstreamUnreachable(message, code="stream_interrupted") from exc
            if chunk is None:
                self._connection = None  # read to its end: back in the pool, not ours
                return
            yield chunk

    async def close(self) -> None:
        # Dropping a connection mid-answer is how the upstream learns the call is cancelled;
        # one whose answer is complete goes back to the pool.
        if self._connection is not None:
            self._connection.close()
            self._connection = None


@dataclass(slots=True)
class _Target:
    """Where one URL goes: its origin's pool and the request head up to content-length."""

    origin: tuple[str, str, int]
    head: bytes


class UpstreamClient:
    """One keep-alive pool per origin of a deployment; its fixed headers are encoded once."""

    def __init__(
        self,
        *,
        provider: str,
        headers: Mapping[str, str],
        timeout_s: float,
        connect_timeout_s: float,
    ):
        self._provider = provider
        self._headers = dict(headers)
        self._header_block = "".join(
            f"{name}: {value}\r\n"
            for name, value in self._headers.items()
            if name.lower() not in ("host", "content-length", "connection")
        ).encode("latin-1")
        self._timeout_s = timeout_s
        self._connect_timeout_s = connect_timeout_s
        self._targets: dict[str, _Target] = {}
        self._pools: dict[tuple[str, str, int], OriginPool] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def for_deployment(
        cls, provider: str, deployment: Deployment, headers: Mapping[str, str]
    ) -> UpstreamClient:
        """JSON in and out with the provider's `headers` (auth, versions), then the
        deployment's own headers, which win; timeouts from the deployment."""
        return cls(
            provider=provider,
            headers={
                "content-type": "application/json",
                **headers,
                **{k.lower(): v for k, v in deployment.headers.items()},
            },
            timeout_s=deployment.timeout_s,
            connect_timeout_s=deployment.connect_timeout_s,
        )

    @property
    def headers(self) -> dict[str, str]:
        """The fixed headers every request of this client carries."""
        return dict(self._headers)

    async def post(self, url: str, body: bytes) -> UpstreamReply:
        started = perf_counter()
        connection = None
        try:
            deadline = Deadline(self._timeout_s)
            connection = await self._exchange(url, body, deadline)
            answer = await connection.read_all(deadline)
        except BaseException as exc:
            if connection is not None:
                connection.abort()  # cancelled or failed mid-answer: the upstream sees it go
            if isinstance(exc, (OSError, TimeoutError, ConnectionBroken)):
                raise _map_error(exc, self._provider) from exc
            raise
        hints = _retry_hints(connection) if connection.status != 200 else []
        return UpstreamReply(connection.status, answer, perf_counter() - started, hints)

    async def open_stream(self, url: str, body: bytes) -> UpstreamStream:
        started = perf_counter()
        try:
            connection = await self._exchange(url, body, Deadline(self._timeout_s))
        except (OSError, TimeoutError, ConnectionBroken) as exc:
            raise _map_error(exc, self._provider) from exc
        return UpstreamStream(connection, self._provider, self._timeout_s, perf_counter() - started)

    async def _exchange(self, url: str, body: bytes, deadline: Deadline) -> H1Connection:
        """A connection whose answer's headers have arrived before `deadline`."""
        target = self._targets.get(url) or self._target(url)
        pool = self._pool(target.origin)
        data = b"%scontent-length: %d\r\n\r\n%s" % (target.head, len(body), body)
        connection = pool.take_idle()
        if connection is not None:
            try:
                return await _sent(connection, data, deadline)
            except ConnectionBroken as exc:
                if exc.answered:
                    raise
                # The upstream had closed this idle connection: once more on a new one.
        return await _sent(await pool.connect(deadline.left()), data, deadline)

    def _target(self, url: str) -> _Target:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UpstreamUnreachable(f"{self._provider} has an unusable URL scheme or host")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        host = parts.netloc.rpartition("@")[2]
        head = f"POST {path} HTTP/1.1\r\nhost: {host}\r\n".encode("latin-1")
        target = _Target((parts.scheme, parts.hostname, port), head + self._header_block)
        if len(self._targets) < 256:  # a deployment has a handful of URLs; never unbounded
            self._targets[url] = target
        return target

    def _pool(self, origin: tuple[str, str, int]) -> OriginPool:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            # Connections belong to the loop that made them; a new loop starts afresh.
            self._pools, self._loop = {}, loop
        pool = self._pools.get(origin)
        if pool is None:
            scheme, host, port = origin
            pool = OriginPool(host, port, scheme == "https", self._connect_timeout_s)
            self._pools[origin] = pool
        return pool

    async def aclose(self) -> None:
        if self._loop is asyncio.get_running_loop():
            for pool in self._pools.values():
                pool.close()
        self._pools, self._loop = {}, None


async def _sent(connection: H1Connection, data: bytes, deadline: Deadline) -> H1Connection:
    """`connection` once the answer's headers to `data` arrived; aborted if that fails."""
    connection.send(data)
    try:
        await connection.wait_headers(deadline)
    except BaseException:
        connection.abort()
        raise
    return connection


def _map_error(exc: BaseException, provider: str) -> Exception:
    if isinstance(exc, TimeoutError):
        return UpstreamTimeout(f"{provider} did not answer in time")
    if isinstance(exc, MalformedAnswer):
        return UpstreamUnreachable(f"{provider} answered with something that is not HTTP")
    return UpstreamUnreachable(f"{provider} could not be reached: connection refused or reset")
