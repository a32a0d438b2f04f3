"""The three things the router asks of a deployment, as ``Operation`` values."""

from __future__ import annotations

from dataclasses import dataclass

from ferrogate.providers.base import ChatCall, ChatStream, Completion, EmbeddingCall, Embeddings
from ferrogate.routing.attempts.first_chunk import close_stream, open_primed_stream
from ferrogate.routing.attempts.lane import Lane


@dataclass(frozen=True, slots=True)
class Completing:
    call: ChatCall

    async def start(self, lane: Lane) -> Completion:
        return await lane.candidate.target.complete(self.call)

    async def discard(self, result: Completion) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Streaming:
    call: ChatCall

    async def start(self, lane: Lane) -> ChatStream:
        provider = lane.candidate.target
        return await open_primed_stream(provider, self.call, lane.first_token_timeout_s)

    async def discard(self, result: ChatStream) -> None:
        await close_stream(result)


@dataclass(frozen=True, slots=True)
class Embedding:
    call: EmbeddingCall

    async def start(self, lane: Lane) -> Embeddings:
        return await lane.candidate.target.embed(self.call)

    async def discard(self, result: Embeddings) -> None:
        return None
