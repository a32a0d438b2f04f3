"""The mock's RSGI application: OpenAI's routes and errors, and other providers' by prefix."""

from collections.abc import Awaitable, Callable

import orjson
from granian.rsgi import HTTPProtocol, Scope

from . import errors
from .anthropic import AnthropicMock
from .azure import AzureMock
from .bodies import models_list
from .control_routes import CONTROL_PATHS, handle_control
from .endpoints import JSON_HEADERS, OpenAIEndpoints, read_json
from .errors import BadRequest
from .fault_injector import FaultInjector
from .gemini import GeminiMock
from .settings import MockSettings

Handler = Callable[[HTTPProtocol], Awaitable[None]]
ProviderHandler = Callable[[Scope, HTTPProtocol], Awaitable[None]]


def _has_bearer_token(authorization: str | None) -> bool:
    if authorization is None:
        return False
    return authorization.startswith("Bearer ") and len(authorization) > len("Bearer ")


def _model(request: dict[str, object]) -> str:
    model = request.get("model")
    if not isinstance(model, str) or not model:
        raise BadRequest(errors.MISSING_MODEL)
    return model


class MockUpstream:
    def __init__(self, settings: MockSettings) -> None:
        self._faults = FaultInjector(settings.faults, settings.seed)
        self._openai = OpenAIEndpoints(settings)
        self._models_body = orjson.dumps(models_list())
        self._routes: dict[tuple[str, str], Handler] = {
            ("POST", "/v1/chat/completions"): self._chat_completions,
            ("POST", "/v1/embeddings"): self._embeddings,
            ("GET", "/v1/models"): self._models,
        }
        # Other providers' formats: matched by path prefix; each checks its own auth.
        self._provider_routes: list[tuple[str, str, ProviderHandler]] = [
            ("/v1/messages", "anthropic", AnthropicMock(settings).handle),
            ("/v1beta/models/", "gemini", GeminiMock(settings).handle),
            ("/openai/deployments/", "azure", AzureMock(settings).handle),
        ]

    async def __call__(self, scope: Scope, proto: HTTPProtocol) -> None:
        handler = self._routes.get((scope.method, scope.path))
        if handler is None:
            await self._other_route(scope, proto)
        # The model list is the readiness probe: faults never touch it.
        elif handler == self._models or await self._faults.admit(scope, proto, "openai"):
            await self._openai_route(handler, scope, proto)

    async def _other_route(self, scope: Scope, proto: HTTPProtocol) -> None:
        if scope.path in CONTROL_PATHS:
            await handle_control(self._faults, scope, proto)
            return
        for prefix, provider, provider_handler in self._provider_routes:
            if scope.path.startswith(prefix):
                if await self._faults.admit(scope, proto, provider):
                    await provider_handler(scope, proto)
                return
        proto.response_bytes(404, JSON_HEADERS, errors.invalid_url(scope.method, scope.path))

    async def _openai_route(self, handler: Handler, scope: Scope, proto: HTTPProtocol) -> None:
        if not _has_bearer_token(scope.headers.get("authorization")):
            proto.response_bytes(401, JSON_HEADERS, errors.MISSING_API_KEY)
        else:
            try:
                await handler(proto)
            except BadRequest as error:
                proto.response_bytes(400, JSON_HEADERS, error.body)

    async def _chat_completions(self, proto: HTTPProtocol) -> None:
        request = await read_json(proto)
        await self._openai.chat(proto, request, _model(request))

    async def _embeddings(self, proto: HTTPProtocol) -> None:
        request = await read_json(proto)
        await self._openai.embeddings(proto, request, _model(request))

    async def _models(self, proto: HTTPProtocol) -> None:
        await self._openai.respond(proto, self._models_body)


def build_app(settings: MockSettings) -> MockUpstream:
    return MockUpstream(settings)
