"""Granian front end over RSGI.

RSGI over ASGI because it was faster in our measurement (DESIGN section 10) and reports
client disconnects explicitly. Its stream transport has no backpressure: a client that
reads slower than the upstream writes makes chunks pile up in Granian's buffer; streamed
LLM output is small and paced by the model, so this is bounded in practice.
"""

from __future__ import annotations

import asyncio

from granian.rsgi import ProtocolClosed

from ferrogate.config import ServerConfig
from ferrogate.errors import PayloadTooLarge
from ferrogate.gateway import Gateway, Request, Response

from .refusals import body_timeout, content_type_refusal
from .settings import ServeSettings, config_from_env, gateway_from_env


class RsgiGateway:
    def __init__(self) -> None:
        self._gateway: Gateway | None = None
        self._body_timeout_s = ServerConfig().body_timeout_s

    def __rsgi_init__(self, loop: asyncio.AbstractEventLoop) -> None:
        config = config_from_env()
        self._body_timeout_s = config.server.body_timeout_s
        self._gateway = gateway_from_env(config=config)

    def __rsgi_del__(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._gateway is not None:
            loop.run_until_complete(self._gateway.aclose())

    async def __rsgi__(self, scope, proto) -> None:
        if scope.proto != "http":
            return
        gateway = self._gateway
        assert gateway is not None, "__rsgi_init__ builds the gateway before any request"
        request = Request(
            scope.method, scope.path, scope.headers, b"", scope.client, scope.query_string
        )
        await _send(proto, await self._answer(gateway, request, proto))

    async def _answer(self, gateway: Gateway, request: Request, proto) -> Response:
        refusal = content_type_refusal(request.method, request.path, request.headers)
        if refusal is not None:
            return gateway.error_response(request, refusal)
        try:
            async with asyncio.timeout(self._body_timeout_s):
                body = await _read_body(request.headers, proto, gateway.max_body_bytes)
        except TimeoutError:
            # A slow-loris body: answered (if the client still listens) and the connection
            # freed, since the request was not read to its end.
            return gateway.error_response(request, body_timeout(self._body_timeout_s))
        if body is None:
            return gateway.error_response(
                request, PayloadTooLarge(gateway.body_too_large_message())
            )
        request.body = body
        return await gateway.handle(request)


async def _read_body(headers, proto, limit: int) -> bytes | None:
    """The whole body, or None once it exceeds `limit` (the rest is read and dropped).

    Draining rather than answering at once: a client still sending its body would
    otherwise hit a broken pipe and never see the 413.
    """
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) <= limit:
        return await proto()
    parts, size = [], 0
    async for chunk in proto:
        size += len(chunk)
        if size <= limit:
            parts.append(chunk)
    return b"".join(parts) if size <= limit else None


async def _send(proto, response: Response) -> None:
    if response.stream is None:
        proto.response_bytes(response.status, response.headers, response.body)
        return
    transport = proto.response_stream(response.status, response.headers)
    stream = response.stream
    # Writes to a closed connection do not fail, so a client that leaves is only noticed
    # through `client_disconnect`: then the relay is cancelled, which closes the upstream
    # call and settles what was sent.
    relay = asyncio.ensure_future(_relay(stream, transport))
    left = asyncio.ensure_future(proto.client_disconnect())
    try:
        await asyncio.wait((relay, left), return_when=asyncio.FIRST_COMPLETED)
        if not relay.done():
            relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
    finally:
        left.cancel()
        await stream.aclose()


async def _relay(stream, transport) -> None:
    try:
        async for chunk in stream:
            await transport.send_bytes(chunk)
    except ProtocolClosed:
        pass  # the client left mid-write


def create_app() -> RsgiGateway:
    return RsgiGateway()


def run(settings: ServeSettings) -> None:
    from granian.constants import Interfaces, Loops
    from granian.http import HTTP1Settings
    from granian.server import Server

    limits = config_from_env().server

    Server(
        "ferrogate.servers.granian_server:create_app",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.RSGI,
        workers=settings.workers,
        loop=Loops.uvloop,
        factory=True,
        log_level=settings.log_level,
        backlog=2048,
        # A worker that dies (killed, out of memory) is replaced; the others keep serving.
        respawn_failed_workers=True,
        http1_settings=HTTP1Settings(header_read_timeout=int(limits.header_timeout_s * 1000)),
    ).serve()
