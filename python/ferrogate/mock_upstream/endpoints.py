"""OpenAI's chat and embeddings answers, behind whatever URL and auth a provider uses.

The OpenAI routes (/v1/...) and Azure's deployment routes both answer through one
`OpenAIEndpoints`; only their error answers for the scenario's statuses differ.
"""

from collections.abc import Callable, Mapping

import orjson
from granian.rsgi import HTTPProtocol

from . import errors
from .chat import ChatResponder
from .chat_ask import ask_from, is_plain
from .embeddings import embeddings_body
from .errors import BadRequest
from .scenario import Ask, decide
from .scenario_errors import OPENAI_ERRORS, ErrorAnswer, Headers
from .settings import MockSettings
from .stream_writer import send_stream

JSON_HEADERS: Headers = [("content-type", "application/json")]
SSE_HEADERS: Headers = [
    ("content-type", "text/event-stream; charset=utf-8"),
    ("cache-control", "no-cache"),
]

ErrorAnswers = Callable[[int, Ask], ErrorAnswer]


def openai_error_answer(status: int, ask: Ask) -> ErrorAnswer:
    return OPENAI_ERRORS[status]


async def read_json(proto: HTTPProtocol) -> dict[str, object]:
    try:
        request = orjson.loads(await proto())
    except orjson.JSONDecodeError:
        raise BadRequest(errors.INVALID_JSON) from None
    if not isinstance(request, dict):
        raise BadRequest(errors.INVALID_JSON)
    return request


def _include_usage(request: Mapping[str, object]) -> bool:
    options = request.get("stream_options")
    return isinstance(options, dict) and options.get("include_usage") is True


class OpenAIEndpoints:
    def __init__(self, settings: MockSettings, error_answer: ErrorAnswers = openai_error_answer):
        self._chunk_delay = settings.chunk_delay_ms / 1000
        self._stream_chunks = settings.stream_chunks
        self._chat = ChatResponder(settings.stream_chunks)
        self._error_answer = error_answer

    async def chat(self, proto: HTTPProtocol, request: dict[str, object], model: str) -> None:
        if "messages" not in request:
            raise errors.missing_parameter("messages")
        if not is_plain(request):
            await self._scenario_chat(proto, request, orjson.dumps(model))
        elif request.get("stream") is True:
            events = self._chat.stream_events(orjson.dumps(model), _include_usage(request))
            await self._stream(proto, events)
        else:
            await self.respond(proto, self._chat.completion(orjson.dumps(model)))

    async def _scenario_chat(
        self, proto: HTTPProtocol, request: dict[str, object], model: bytes
    ) -> None:
        ask = ask_from(request)
        reply = decide(ask, self._stream_chunks)
        if reply.error_status is not None:
            status, headers, body = self._error_answer(reply.error_status, ask)
            await self.respond(proto, body, status, [*JSON_HEADERS, *headers])
        elif request.get("stream") is True:
            await self._stream(
                proto, self._chat.stream_events(model, _include_usage(request), reply)
            )
        else:
            await self.respond(proto, self._chat.completion(model, reply))

    async def embeddings(self, proto: HTTPProtocol, request: dict[str, object], model: str) -> None:
        await self.respond(proto, embeddings_body(request, model))

    async def respond(
        self, proto: HTTPProtocol, body: bytes, status: int = 200, headers: Headers = JSON_HEADERS
    ) -> None:
        proto.response_bytes(status, headers, body)

    async def _stream(self, proto: HTTPProtocol, events: list[bytes]) -> None:
        await send_stream(proto, SSE_HEADERS, events, self._chunk_delay)
