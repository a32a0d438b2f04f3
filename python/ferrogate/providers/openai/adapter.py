"""Any OpenAI-compatible chat API: requests mostly forwarded byte for byte.

Subclasses for OpenAI-shaped upstreams (Azure) override only where they differ: the URL
of an operation, the auth headers and the reading of an error body.
"""

from __future__ import annotations

from typing import Any

import orjson

from ferrogate.config import Deployment
from ferrogate.errors import UpstreamError
from ferrogate.providers.base import (
    ChatCall,
    ChatStream,
    Completion,
    EmbeddingCall,
    Embeddings,
    StreamUsage,
)
from ferrogate.providers.capabilities import FULL
from ferrogate.upstream import UpstreamClient

from .errors import upstream_error
from .stream import relay

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAIProvider:
    name = "openai"
    capabilities = FULL

    def __init__(self, deployment: Deployment):
        self._model = deployment.model
        self._chat_url = self._operation_url(deployment, "chat/completions")
        self._embeddings_url = self._operation_url(deployment, "embeddings")
        headers = {**self._auth_headers(deployment), "accept": "application/json"}
        self._client = UpstreamClient.for_deployment(self.name, deployment, headers)

    @staticmethod
    def _operation_url(deployment: Deployment, operation: str) -> str:
        base_url = (deployment.base_url or DEFAULT_BASE_URL).rstrip("/")
        return f"{base_url}/{operation}"

    @staticmethod
    def _auth_headers(deployment: Deployment) -> dict[str, str]:
        return {"authorization": f"Bearer {deployment.api_key}"}

    def _error(self, status: int, body: bytes) -> UpstreamError:
        return upstream_error(status, body, self.name)

    async def complete(self, call: ChatCall) -> Completion:
        body, elapsed = await self._forward(self._chat_url, call.body)
        answer = self._json_object(body, "a chat completion")
        usage = answer.get("usage")
        return Completion(body, elapsed, usage if isinstance(usage, dict) else None)

    async def embed(self, call: EmbeddingCall) -> Embeddings:
        body, elapsed = await self._forward(self._embeddings_url, call.body)
        self._json_object(body, "an embeddings list")
        return Embeddings(body, elapsed)

    async def stream(self, call: ChatCall) -> ChatStream:
        # Usage is always asked for, so every stream can be accounted for.
        options = {**(call.body.get("stream_options") or {}), "include_usage": True}
        body = self._encode(call.body, {"stream_options": options})
        upstream = await self._client.open_stream(self._chat_url, body)
        if upstream.status != 200:
            raise upstream.annotate(self._error(upstream.status, await upstream.read_and_close()))
        usage = StreamUsage()
        chunks = relay(upstream, usage, call.wants_usage_in_stream)
        return ChatStream(chunks=chunks, upstream_s=upstream.elapsed_s, usage=usage)

    async def _forward(self, url: str, body: dict[str, Any]) -> tuple[bytes, float]:
        """POST the body the gateway checked, re-encoded, never the client's own bytes.

        With duplicate keys the parser kept the last value; an upstream that keeps the
        first would see another `model` or `max_tokens` than was checked and metered.
        Re-encoding costs about a microsecond for a typical request.
        """
        reply = await self._client.post(url, self._encode(body, {}))
        if reply.status != 200:
            raise reply.annotate(self._error(reply.status, reply.body))
        return reply.body, reply.elapsed_s

    def _json_object(self, body: bytes, what: str) -> dict[str, Any]:
        """The upstream's 200 answer, read once: a proxy's HTML page or a cut body is a 502
        naming the provider, never relayed to the client as a 200."""
        try:
            answer = orjson.loads(body)
        except orjson.JSONDecodeError:
            answer = None
        if not isinstance(answer, dict):
            raise UpstreamError(
                f"{self.name} answered 200 with a body that is not {what}",
                status=502,
                provider=self.name,
                upstream_body=body,
            )
        return answer

    def _encode(self, body: dict[str, Any], changes: dict[str, Any]) -> bytes:
        return orjson.dumps({**body, "model": self._model, **changes})

    async def aclose(self) -> None:
        await self._client.aclose()
