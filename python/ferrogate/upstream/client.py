"""Keep-alive HTTP client for upstream calls, built on pyreqwest (Rust reqwest + hyper).

Chosen by measurement (bench/upstream_client.py): at concurrency 16 against the mock
upstream on one core, pyreqwest needed markedly less CPU per request than aiohttp and
httpx, which matters because the gateway's whole budget is ~100 us a request.
Transport failures are mapped here, once, to the gateway's 502 and 504 errors.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from time import perf_counter
from typing import TYPE_CHECKING, Any

from pyreqwest.client import Client, ClientBuilder
from pyreqwest.exceptions import (
    NetworkError,
    RequestError,
    RequestTimeoutError,
)

from ferrogate.errors import GatewayError, UpstreamTimeout, UpstreamUnreachable

if TYPE_CHECKING:
    from ferrogate.config import Deployment


_RETRY_HINTS = ("retry-after", "retry-after-ms")


def _retry_hints(response: Any) -> list[tuple[str, str]]:
    """The upstream's own advice on when to retry, passed on with its error."""
    hints = []
    for name in _RETRY_HINTS:
        value = response.get_header(name)
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

    def __init__(self, context: Any, response: Any, provider: str, elapsed_s: float = 0.0):
        self._context = context
        self._response = response
        self._provider = provider
        self.status: int = response.status
        self.elapsed_s = elapsed_s  # from sending the request to the response headers

    def annotate(self, error: GatewayError) -> GatewayError:
        """`error` with the upstream's retry-after headers, for clients and the router."""
        return _annotated(error, _retry_hints(self._response))

    async def read_all(self) -> bytes:
        return bytes(await self._response.bytes())

    async def read_and_close(self) -> bytes:
        """The whole body of an answer not worth streaming (an error), then the close."""
        try:
            return await self.read_all()
        finally:
            await self.close()

    async def chunks(self) -> AsyncIterator[bytes]:
        reader = self._response.body_reader
        while True:
            try:
                chunk = await reader.read_chunk()
            except RequestTimeoutError as exc:
                raise _map_error(exc, self._provider) from exc
            except RequestError as exc:
                message = f"the connection to {self._provider} broke mid-stream"
                raise UpstreamUnreachable(message, code="stream_interrupted") from exc
            if chunk is None:
                return
            yield bytes(chunk)

    async def close(self) -> None:
        # Leaving the context early drops the connection, which cancels the upstream call.
        await self._context.__aexit__(None, None, None)


class UpstreamClient:
    """One keep-alive pool per deployment; its fixed headers are set once on the client."""

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
        self._timeout = timedelta(seconds=timeout_s)
        self._connect_timeout = timedelta(seconds=connect_timeout_s)
        self._client: Client | None = None

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

    def _get(self) -> Client:
        # Built on first use so it binds to the serving worker's event loop.
        if self._client is None:
            self._client = (
                ClientBuilder()
                .default_headers(self._headers)
                .connect_timeout(self._connect_timeout)
                .read_timeout(self._timeout)
                .pool_idle_timeout(timedelta(seconds=90))
                .gzip(False)
                .brotli(False)
                .zstd(False)
                .deflate(False)
                .follow_redirects(False)
                .build()
            )
        return self._client

    async def post(self, url: str, body: bytes) -> UpstreamReply:
        builder = self._get().post(url).body_bytes(body)
        started = perf_counter()
        try:
            response = await builder.timeout(self._timeout).build().send()
            answer = bytes(await response.bytes())
            hints = _retry_hints(response) if response.status != 200 else []
            return UpstreamReply(response.status, answer, perf_counter() - started, hints)
        except RequestError as exc:
            raise _map_error(exc, self._provider) from exc

    async def open_stream(self, url: str, body: bytes) -> UpstreamStream:
        builder = self._get().post(url).body_bytes(body)
        # pyreqwest pre-reads up to 64 KiB of a streamed body before handing back the
        # response, which held every token of a short answer until the end (measured:
        # first chunk at 1.03 s instead of 0.006 s with a 100 ms-a-chunk upstream).
        context = builder.streamed_read_buffer_limit(0).build_streamed()
        started = perf_counter()
        try:
            response = await context.__aenter__()
        except RequestError as exc:
            raise _map_error(exc, self._provider) from exc
        return UpstreamStream(context, response, self._provider, perf_counter() - started)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


def _map_error(exc: RequestError, provider: str) -> Exception:
    if isinstance(exc, RequestTimeoutError):
        return UpstreamTimeout(f"{provider} did not answer in time")
    if isinstance(exc, NetworkError):
        return UpstreamUnreachable(f"{provider} could not be reached: connection refused or reset")
    return UpstreamUnreachable(f"{provider} request failed: {type(exc).__name__}")
