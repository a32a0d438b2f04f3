"""Gemini's wire format for the mock upstream: `POST /v1beta/models/{model}:{method}`.

generateContent, streamGenerateContent (SSE with `alt=sse`, else one JSON array),
embedContent and batchEmbedContents. The key comes in `x-goog-api-key` or `?key=`; any
non-empty key is accepted. Answers come from the shared scenario (../scenario.py).
"""

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import orjson
from granian.rsgi import HTTPProtocol, Scope

from ..scenario import Reply, decide
from ..settings import MockSettings
from ..stream_writer import send_stream
from .ask import ask_from
from .embeddings import batch_embed_contents, embed_content
from .errors import (
    MIDSTREAM_ERROR,
    SCENARIO_ERRORS,
    UNREGISTERED_CALLER,
    GoogleError,
    invalid_argument,
    not_found,
)
from .render import completion, stream_bodies

PREFIX = "/v1beta/models/"
JSON_HEADERS = [("content-type", "application/json; charset=UTF-8")]
SSE_HEADERS = [("content-type", "text/event-stream"), ("cache-control", "no-cache")]

Query = dict[str, list[str]]
Method = Callable[[HTTPProtocol, str, dict[str, Any], Query], Awaitable[None]]


class GeminiMock:
    def __init__(self, settings: MockSettings) -> None:
        self._chunk_delay = settings.chunk_delay_ms / 1000
        self._stream_chunks = settings.stream_chunks
        self._methods: dict[str, Method] = {
            "generateContent": self._generate,
            "streamGenerateContent": self._stream,
            "embedContent": self._embed,
            "batchEmbedContents": self._batch_embed,
        }

    async def handle(self, scope: Scope, proto: HTTPProtocol) -> None:
        model, _, name = scope.path.removeprefix(PREFIX).rpartition(":")
        method = self._methods.get(name) if scope.method == "POST" and model else None
        if method is None:
            proto.response_bytes(404, JSON_HEADERS, not_found(scope.path.removeprefix("/v1beta/")))
            return
        query = parse_qs(scope.query_string)
        if not (scope.headers.get("x-goog-api-key") or query.get("key")):
            proto.response_bytes(403, JSON_HEADERS, UNREGISTERED_CALLER)
            return
        try:
            await method(proto, model, await _read_json(proto), query)
        except GoogleError as error:
            proto.response_bytes(error.status, JSON_HEADERS, error.body)

    async def _generate(self, proto: HTTPProtocol, model: str, request: dict, _: Query) -> None:
        await self._respond(proto, completion(self._decide(request), model))

    async def _stream(self, proto: HTTPProtocol, model: str, request: dict, query: Query) -> None:
        reply = self._decide(request)
        bodies = stream_bodies(reply, model)
        # Google writes a mid-stream failure as its bare error object, not as an SSE event.
        tail = [MIDSTREAM_ERROR] if reply.midstream_error else []
        if query.get("alt") == ["sse"]:
            await self._send_stream(proto, [b"data: %s\r\n\r\n" % body for body in bodies] + tail)
        else:
            await self._respond(proto, b"[" + b",\r\n".join(bodies + tail) + b"]")

    async def _embed(self, proto: HTTPProtocol, model: str, request: dict, _: Query) -> None:
        await self._respond(proto, embed_content(request))

    async def _batch_embed(self, proto: HTTPProtocol, model: str, request: dict, _: Query) -> None:
        await self._respond(proto, batch_embed_contents(request, model))

    def _decide(self, request: dict[str, Any]) -> Reply:
        reply = decide(ask_from(request), self._stream_chunks)
        if reply.error_status is not None:
            raise GoogleError(*SCENARIO_ERRORS.get(reply.error_status, SCENARIO_ERRORS[500]))
        return reply

    async def _respond(self, proto: HTTPProtocol, body: bytes) -> None:
        proto.response_bytes(200, JSON_HEADERS, body)

    async def _send_stream(self, proto: HTTPProtocol, events: list[bytes]) -> None:
        await send_stream(proto, SSE_HEADERS, events, self._chunk_delay)


async def _read_json(proto: HTTPProtocol) -> dict[str, Any]:
    try:
        request = orjson.loads(await proto())
    except orjson.JSONDecodeError:
        request = None
    if not isinstance(request, dict):
        raise invalid_argument("Invalid JSON payload received. Expected an object.")
    return request
