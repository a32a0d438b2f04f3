"""Google's Gemini API: chat through generateContent, embeddings through embedContent."""

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

from .embeddings import embedding_request, embeddings_body
from .errors import PROVIDER, upstream_error
from .request import gemini_request
from .response import completion_body
from .stream import ChunkWriter, relay

DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta"


class GeminiProvider:
    name = PROVIDER
    capabilities = FULL

    def __init__(self, deployment: Deployment):
        self._model = deployment.model.removeprefix("models/")
        base_url = (deployment.base_url or DEFAULT_BASE_URL).rstrip("/")
        model_url = f"{base_url}/models/{self._model}"
        self._generate_url = f"{model_url}:generateContent"
        self._stream_url = f"{model_url}:streamGenerateContent?alt=sse"
        self._embed_url = f"{model_url}:embedContent"
        self._batch_embed_url = f"{model_url}:batchEmbedContents"
        auth = {"x-goog-api-key": deployment.api_key}
        self._client = UpstreamClient.for_deployment(self.name, deployment, auth)

    async def complete(self, call: ChatCall) -> Completion:
        body = orjson.dumps(gemini_request(call.body))
        reply, elapsed = await self._post(self._generate_url, body)
        return Completion(completion_body(reply, self._model), elapsed)

    async def stream(self, call: ChatCall) -> ChatStream:
        body = orjson.dumps(gemini_request(call.body))
        upstream = await self._client.open_stream(self._stream_url, body)
        if upstream.status != 200:
            raise upstream.annotate(
                upstream_error(upstream.status, await upstream.read_and_close())
            )
        usage = StreamUsage()
        chunks = relay(upstream, ChunkWriter(self._model, usage), call.wants_usage_in_stream)
        return ChatStream(chunks=chunks, upstream_s=upstream.elapsed_s, usage=usage)

    async def embed(self, call: EmbeddingCall) -> Embeddings:
        request = embedding_request(call.body, self._model)
        url = self._batch_embed_url if request.batch else self._embed_url
        reply, elapsed = await self._post(url, request.body)
        return Embeddings(embeddings_body(request, reply, self._model), elapsed)

    async def _post(self, url: str, body: bytes) -> tuple[dict[str, Any], float]:
        reply = await self._client.post(url, body)
        if reply.status != 200:
            raise reply.annotate(upstream_error(reply.status, reply.body))
        try:
            parsed = orjson.loads(reply.body)
        except orjson.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, dict):
            message = f"{PROVIDER} answered 200 with a body that is not a JSON object"
            raise UpstreamError(message, status=502, provider=PROVIDER, upstream_body=reply.body)
        return parsed, reply.elapsed_s

    async def aclose(self) -> None:
        await self._client.aclose()
