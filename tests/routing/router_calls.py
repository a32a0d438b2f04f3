"""Requests for the router tests, and a reader for the streams it hands out."""

from __future__ import annotations

from ferrogate.providers.base import ChatCall, ChatStream, EmbeddingCall
from ferrogate.routing.candidates import RequestInfo

REQUEST = RequestInfo(prompt_tokens=10)


def chat_call(*, stream: bool = False) -> ChatCall:
    body: dict = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi there"}]}
    if stream:
        body["stream"] = True
    return ChatCall(body=body, request_id="req-router-test")


def embedding_call() -> EmbeddingCall:
    body = {"model": "text-embedding-3-small", "input": "Hi there"}
    return EmbeddingCall(body=body, request_id="req-router-test")


async def read_all(stream: ChatStream) -> list[bytes]:
    return [chunk async for chunk in stream.chunks]


class RecordedSleep:
    """An injected `sleep` that returns at once and remembers the delays asked for; a hook
    runs on each, e.g. to end a mock's outage while the router waits."""

    def __init__(self, on_sleep=None) -> None:
        self.delays: list[float] = []
        self._on_sleep = on_sleep

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        if self._on_sleep is not None:
            self._on_sleep()
