"""Provider adapters, one package per wire format, and the table that picks one."""

from __future__ import annotations

from ferrogate.config import Deployment

from .base import ChatCall, ChatProvider, ChatStream, Completion, StreamUsage
from .demo import DemoProvider
from .openai import OpenAIProvider

_ADAPTERS = {"openai": OpenAIProvider, "demo": DemoProvider}


class ProviderUnavailable(ValueError):
    pass


def build_provider(deployment: Deployment) -> ChatProvider:
    adapter = _ADAPTERS.get(deployment.provider)
    if adapter is None:
        raise ProviderUnavailable(
            f"provider {deployment.provider!r} is not available in this build"
        )
    return adapter(deployment)


__all__ = [
    "ChatCall",
    "ChatProvider",
    "ChatStream",
    "Completion",
    "ProviderUnavailable",
    "StreamUsage",
    "build_provider",
]
