"""The in-process `demo` provider: no network, deterministic, streams word by word."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from typing import Any

import orjson

from ferrogate.config import Deployment
from ferrogate.core import frame_event
from ferrogate.providers.base import ChatCall, ChatStream, Completion, StreamUsage
from ferrogate.providers.capabilities import Capabilities
from ferrogate.providers.sse import DONE

from .answer import answer_for, count_tokens, prompt_text, prompt_tokens


class DemoProvider:
    name = "demo"
    capabilities = Capabilities(streaming=True)

    def __init__(self, deployment: Deployment):
        self._model = deployment.model
        self._delay_s = deployment.chunk_delay_ms / 1000

    async def complete(self, call: ChatCall) -> Completion:
        reply = self._reply(call.body)
        message = {"role": "assistant", "content": reply.text, "refusal": None}
        body = {
            **reply.envelope("chat.completion"),
            "choices": [
                {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
            ],
            "usage": reply.usage,
        }
        return Completion(orjson.dumps(body), 0.0)

    async def stream(self, call: ChatCall) -> ChatStream:
        reply = self._reply(call.body)
        usage = StreamUsage(reply.usage)
        chunks = self._chunks(reply, call.wants_usage_in_stream)
        return ChatStream(chunks=chunks, upstream_s=0.0, usage=usage)

    async def _chunks(self, reply: _Reply, with_usage: bool) -> AsyncIterator[bytes]:
        yield reply.chunk({"role": "assistant", "content": ""}, None)
        for i, word in enumerate(reply.text.split(" ")):
            if self._delay_s:
                await asyncio.sleep(self._delay_s)
            yield reply.chunk({"content": word if i == 0 else f" {word}"}, None)
        yield reply.chunk({}, "stop")
        if with_usage:
            yield frame_event(
                orjson.dumps(
                    {**reply.envelope("chat.completion.chunk"), "choices": [], "usage": reply.usage}
                )
            )
        yield DONE

    def _reply(self, body: dict[str, Any]) -> _Reply:
        text = answer_for(prompt_text(body["messages"]))
        return _Reply(self._model, text, prompt_tokens(body["messages"]))

    async def aclose(self) -> None:
        return None


class _Reply:
    def __init__(self, model: str, text: str, prompt_tokens: int):
        self.text = text
        self._model = model
        self._id = f"chatcmpl-demo{os.urandom(8).hex()}"
        self._created = int(time.time())
        completion_tokens = count_tokens(text)
        self.usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }

    def envelope(self, kind: str) -> dict[str, Any]:
        return {"id": self._id, "object": kind, "created": self._created, "model": self._model}

    def chunk(self, delta: dict[str, Any], finish_reason: str | None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return frame_event(
            orjson.dumps({**self.envelope("chat.completion.chunk"), "choices": [choice]})
        )
