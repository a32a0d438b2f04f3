"""Robyn front end.

Robyn routes by path itself; a catch-all route for every method hands each request
to the core, which owns routing, 404 and 405, so both front ends answer alike.
Robyn has no client-disconnect API and drives async streams with a thread hop per chunk.
It reads each body whole before the handler runs and times out no slow client (see `run`),
and it does not replace a worker process that dies (the others keep serving).
"""

from __future__ import annotations

import logging
import os
import signal

from robyn import Headers, Robyn, StreamingResponse
from robyn import Request as RobynRequest
from robyn import Response as RobynResponse
from robyn.argument_parser import Config as RobynConfig

from ferrogate.gateway import Gateway, Request

from .refusals import content_type_refusal
from .settings import ServeSettings, gateway_from_env

log = logging.getLogger("ferrogate.servers.robyn")
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")


class RobynGateway:
    def __init__(self) -> None:
        self._gateway: Gateway | None = None

    async def __call__(self, request: RobynRequest):
        if self._gateway is None:
            # Built lazily so its clients bind to the loop that serves requests.
            self._gateway = gateway_from_env()
        core_request = _to_core(request)
        refusal = content_type_refusal(core_request.method, core_request.path, core_request.headers)
        if refusal is not None:
            response = self._gateway.error_response(core_request, refusal)
        else:
            response = await self._gateway.handle(core_request)
        headers = Headers(dict(response.headers))
        if response.stream is None:
            return RobynResponse(response.status, headers, body=response.body)
        return StreamingResponse(response.stream, response.status, headers)


def _to_core(request: RobynRequest) -> Request:
    body = request.body
    if isinstance(body, str):
        body = body.encode()  # Robyn hands over UTF-8 text bodies as str
    headers = {k.lower(): v for k, v in request.headers.to_dict().items()}
    return Request(request.method, request.url.path, headers, body, request.ip_addr or "")


def build_app(settings: ServeSettings) -> Robyn:
    config = RobynConfig()
    config.disable_openapi = True
    config.log_level = "WARN"
    config.processes = settings.workers
    app = Robyn(__file__, config=config)
    gateway = RobynGateway()

    # Robyn inspects a handler's name and parameters, so it gets a plain function.
    async def handle(request: RobynRequest):
        return await gateway(request)

    for method in _METHODS:
        app.add_route(method, "/", handle)
        app.add_route(method, "/*path", handle)
    return app


def run(settings: ServeSettings) -> None:
    # Robyn's own SIGTERM handling can hang a single process; leave at once instead.
    # Nothing is buffered that a restart would lose.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    # NOTE: server.header_timeout_s is not applied: Robyn 0.88's start() takes a
    # client_timeout but never hands it to its server (processpool.spawn_process calls
    # server.start(socket, workers)), so Robyn does not time out slow clients at all.
    build_app(settings).start(host=settings.host, port=settings.port, _check_port=False)
