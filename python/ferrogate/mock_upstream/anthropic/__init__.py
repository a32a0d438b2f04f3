"""Anthropic's Messages API, `POST /v1/messages`, for the mock upstream.

The request is read into the scenario's `Ask`; the `Reply` goes back as Anthropic's message
JSON or its SSE event sequence, and errors in Anthropic's shape with its statuses (529 for
overloaded). Any non-empty `x-api-key` is accepted.
"""

from typing import Any

from granian.rsgi import HTTPProtocol, Scope

from ..endpoints import read_json
from ..errors import BadRequest
from ..scenario import decide
from ..settings import MockSettings
from ..stream_writer import send_stream
from .answer import answer
from .ask import read_ask
from .errors import AnthropicRequestError
from .ids import AnthropicIds
from .render import events, message_body
from .validate import check_request

PATH = "/v1/messages"
_JSON = ("content-type", "application/json")
_SSE = [("content-type", "text/event-stream; charset=utf-8"), ("cache-control", "no-cache")]


class AnthropicMock:
    def __init__(self, settings: MockSettings) -> None:
        self._chunk_delay = settings.chunk_delay_ms / 1000
        self._stream_chunks = settings.stream_chunks
        self._ids = AnthropicIds()

    async def handle(self, scope: Scope, proto: HTTPProtocol) -> None:
        request_id = self._ids.next("req")
        try:
            await self._answer(scope, proto, request_id)
        except AnthropicRequestError as error:
            headers = [_JSON, ("request-id", request_id)]
            if error.status == 429:
                headers.append(("retry-after", "1"))
            proto.response_bytes(error.status, headers, error.body(request_id))

    async def _answer(self, scope: Scope, proto: HTTPProtocol, request_id: str) -> None:
        if scope.method != "POST" or scope.path != PATH:
            raise AnthropicRequestError(404)
        if not scope.headers.get("x-api-key"):
            raise AnthropicRequestError(401, "x-api-key header is required")
        request = await _read_request(proto)
        check_request(request)
        ask = read_ask(request)
        reply = decide(ask, self._stream_chunks)
        if reply.error_status is not None:
            raise AnthropicRequestError(reply.error_status)
        result = answer(ask, reply, self._stream_chunks, self._ids)
        message_id, model = self._ids.next("msg"), request["model"]
        if request.get("stream") is True:
            sent = events(result, message_id, model, reply.midstream_error)
            await self._stream(proto, sent, request_id)
        else:
            body = message_body(result, message_id, model)
            proto.response_bytes(200, [_JSON, ("request-id", request_id)], body)

    async def _stream(self, proto: HTTPProtocol, sent: list[bytes], request_id: str) -> None:
        await send_stream(proto, [*_SSE, ("request-id", request_id)], sent, self._chunk_delay)


async def _read_request(proto: HTTPProtocol) -> dict[str, Any]:
    try:
        return await read_json(proto)
    except BadRequest:  # OpenAI's wording; Anthropic answers in its own
        raise AnthropicRequestError(400, "The request body is not a valid JSON object.") from None
