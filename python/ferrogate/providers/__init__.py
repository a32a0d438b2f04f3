"""Provider adapters, one package per wire format, and the table that picks one."""

from __future__ import annotations

from collections.abc import Callable

from ferrogate.config import Deployment

from .base import (
    ChatCall,
    ChatProvider,
    ChatStream,
    Completion,
    EmbeddingCall,
    Embeddings,
    StreamUsage,
)
from .capabilities import Capabilities


# Imported on first use, so a gateway loads only the adapters its config names.
def _openai(deployment: Deployment) -> ChatProvider:
    from .openai import OpenAIProvider

    return OpenAIProvider(deployment)


def _azure(deployment: Deployment) -> ChatProvider:
    from .azure import AzureProvider

    return AzureProvider(deployment)


def _anthropic(deployment: Deployment) -> ChatProvider:
    from .anthropic import AnthropicProvider

    return AnthropicProvider(deployment)


def _gemini(deployment: Deployment) -> ChatProvider:
    from .gemini import GeminiProvider

    return GeminiProvider(deployment)


def _demo(deployment: Deployment) -> ChatProvider:
    from .demo import DemoProvider

    return DemoProvider(deployment)


_ADAPTERS: dict[str, Callable[[Deployment], ChatProvider]] = {
    "openai": _openai,
    "azure": _azure,
    "anthropic": _anthropic,
    "gemini": _gemini,
    "demo": _demo,
}


def build_provider(deployment: Deployment) -> ChatProvider:
    # The config schema admits only the names in this table.
    return _ADAPTERS[deployment.provider](deployment)


__all__ = [
    "Capabilities",
    "ChatCall",
    "ChatProvider",
    "ChatStream",
    "Completion",
    "EmbeddingCall",
    "Embeddings",
    "StreamUsage",
    "build_provider",
]
