"""What every provider adapter takes and gives back.

Adapters speak their upstream's wire format on one side and OpenAI's on the other, so
the gateway only ever sees OpenAI chat bodies and OpenAI-framed SSE bytes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from .capabilities import Capabilities


@dataclass(slots=True)
class ChatCall:
    body: dict[str, Any]  # the validated client request
    request_id: str

    @property
    def wants_usage_in_stream(self) -> bool:
        options = self.body.get("stream_options")
        return isinstance(options, dict) and options.get("include_usage") is True


@dataclass(slots=True)
class Completion:
    body: bytes  # an OpenAI `chat.completion` object
    upstream_s: float  # time spent waiting on the upstream
    # The answer's `usage`, when the provider read it anyway: saves reading the body again.
    usage: dict[str, Any] | None = None


@dataclass(slots=True)
class StreamUsage:
    """Filled in by the adapter while its stream runs; final once the stream has ended."""

    counts: dict[str, Any] | None = None


@dataclass(slots=True)
class ChatStream:
    chunks: AsyncIterator[bytes]  # OpenAI-framed SSE events, ending in `data: [DONE]` or an error
    upstream_s: float  # time until the upstream's response headers arrived
    usage: StreamUsage = field(default_factory=StreamUsage)


@dataclass(slots=True)
class EmbeddingCall:
    body: dict[str, Any]  # the validated OpenAI embeddings request
    request_id: str


@dataclass(slots=True)
class Embeddings:
    body: bytes  # an OpenAI `list` of `embedding` objects, in the encoding the client asked for
    upstream_s: float


class ChatProvider(Protocol):
    name: str
    capabilities: Capabilities

    async def complete(self, call: ChatCall) -> Completion: ...

    async def stream(self, call: ChatCall) -> ChatStream: ...

    async def embed(self, call: EmbeddingCall) -> Embeddings: ...  # when capabilities.embeddings

    async def aclose(self) -> None: ...
