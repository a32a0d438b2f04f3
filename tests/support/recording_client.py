"""A stand-in for the upstream client that records what an adapter sends, and answers.

It replaces the client the OpenAI adapter builds, so it serves the OpenAI adapter and
those built on it (Azure).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import ferrogate.providers.openai.adapter as openai_adapter
from ferrogate.upstream.client import UpstreamClient, UpstreamReply


@dataclass
class RecordingClient:
    headers: dict[str, str]
    reply: UpstreamReply = field(default_factory=lambda: UpstreamReply(200, b'{"ok":true}'))
    posts: list[tuple[str, bytes]] = field(default_factory=list)

    async def post(self, url: str, body: bytes) -> UpstreamReply:
        self.posts.append((url, body))
        return self.reply

    async def aclose(self) -> None:
        pass


def build_recorded(monkeypatch: pytest.MonkeyPatch, provider_class, deployment):
    """The provider, built over a RecordingClient instead of a network client."""
    clients: list[RecordingClient] = []

    class Recording:
        @staticmethod
        def for_deployment(provider, deployment, headers) -> RecordingClient:
            # The real header merge, so tests see what would go on the wire.
            real = UpstreamClient.for_deployment(provider, deployment, headers)
            clients.append(RecordingClient(real.headers))
            return clients[-1]

    monkeypatch.setattr(openai_adapter, "UpstreamClient", Recording)
    provider = provider_class(deployment)
    return provider, clients[0]
