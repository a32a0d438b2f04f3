"""Any OpenAI-compatible chat API: requests mostly forwarded byte for byte."""

from __future__ import annotations

from time import perf_counter
from typing import Any

import orjson

from ferrogate.config import Deployment
from ferrogate.providers.base import ChatCall, ChatStream, Completion, StreamUsage
from ferrogate.upstream import UpstreamClient

from .errors import upstream_error
from .stream import relay

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAIProvider:
    name = "openai"

    def __init__(self, deployment: Deployment):
        self._model = deployment.model
        base_url = (deployment.base_url or DEFAULT_BASE_URL).rstrip("/")
        self._url = f"{base_url}/chat/completions"
        headers = {
            "authorization": f"Bearer {deployment.api_key}",
            "content-type": "application/json",
            "accept": "application/json",
            **{k.lower(): v for k, v in deployment.headers.items()},
        }
        self._client = UpstreamClient(
            provider=self.name,
            headers=headers,
            timeout_s=deployment.timeout_s,
            connect_timeout_s=deployment.connect_timeout_s,
        )

    async def complete(self, call: ChatCall) -> Completion:
        body = call.raw if call.body["model"] == self._model else self._encode(call.body, {})
        started = perf_counter()
        reply = await self._client.post(self._url, body)
        elapsed = perf_counter() - started
        if reply.status != 200:
            raise upstream_error(reply.status, reply.body, self.name)
        return Completion(reply.body, elapsed)

    async def stream(self, call: ChatCall) -> ChatStream:
        # Usage is always asked for, so every stream can be accounted for.
        options = {**(call.body.get("stream_options") or {}), "include_usage": True}
        body = self._encode(call.body, {"stream_options": options})
        started = perf_counter()
        upstream = await self._client.open_stream(self._url, body)
        elapsed = perf_counter() - started
        if upstream.status != 200:
            error_body = await upstream.read_all()
            await upstream.close()
            raise upstream_error(upstream.status, error_body, self.name)
        usage = StreamUsage()
        chunks = relay(upstream, usage, call.wants_usage_in_stream)
        return ChatStream(chunks=chunks, upstream_s=elapsed, usage=usage)

    def _encode(self, body: dict[str, Any], changes: dict[str, Any]) -> bytes:
        return orjson.dumps({**body, "model": self._model, **changes})

    async def aclose(self) -> None:
        await self._client.aclose()
