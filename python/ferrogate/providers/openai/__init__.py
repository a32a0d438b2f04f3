"""The OpenAI wire format: api.openai.com and any compatible server."""

from .adapter import OpenAIProvider

__all__ = ["OpenAIProvider"]
