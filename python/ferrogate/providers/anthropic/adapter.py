"""Anthropic's Messages API behind the OpenAI chat API: every request and answer translated."""

from __future__ import annotations

from typing import Any

import orjson

from ferrogate.config import Deployment
from ferrogate.errors import UpstreamError
from ferrogate.providers.base import ChatCall, ChatStream, Completion, StreamUsage
from ferrogate.providers.capabilities import Capabilities
from ferrogate.upstream import UpstreamClient

from .errors import upstream_error
from .request import to_anthropic
from .response import to_completion
from .stream import StreamTranslator, relay

DEFAULT_BASE_URL = "https://api.anthropic.com/v1"
API_VERSION = "2023-06-01"  # the wire format this adapter speaks, pinned by Anthropic per request


class AnthropicProvider:
    name = "anthropic"
    capabilities = Capabilities(streaming=True, tools=True, images=True, json_schema=True)

    def __init__(self, deployment: Deployment):
        self._model = deployment.model
        base_url = (deployment.base_url or DEFAULT_BASE_URL).rstrip("/")
        self._url = f"{base_url}/messages"
        headers = {"x-api-key": deployment.api_key, "anthropic-version": API_VERSION}
        self._client = UpstreamClient.for_deployment(self.name, deployment, headers)

    async def complete(self, call: ChatCall) -> Completion:
        body = orjson.dumps(to_anthropic(call.body, self._model))
        reply = await self._client.post(self._url, body)
        if reply.status != 200:
            raise reply.annotate(upstream_error(reply.status, reply.body, self.name))
        return Completion(to_completion(self._message(reply.body)), reply.elapsed_s)

    async def stream(self, call: ChatCall) -> ChatStream:
        body = orjson.dumps({**to_anthropic(call.body, self._model), "stream": True})
        upstream = await self._client.open_stream(self._url, body)
        if upstream.status != 200:
            raise upstream.annotate(
                upstream_error(upstream.status, await upstream.read_and_close(), self.name)
            )
        usage = StreamUsage()
        translator = StreamTranslator(self._model, call.wants_usage_in_stream, usage)
        chunks = relay(upstream, translator)
        return ChatStream(chunks=chunks, upstream_s=upstream.elapsed_s, usage=usage)

    def _message(self, body: bytes) -> dict[str, Any]:
        try:
            message = orjson.loads(body)
        except orjson.JSONDecodeError:
            message = None
        if not isinstance(message, dict):
            raise UpstreamError(
                f"{self.name} answered 200 with a body that is not a message",
                status=502,
                provider=self.name,
                upstream_body=body,
            )
        return message

    async def aclose(self) -> None:
        await self._client.aclose()
