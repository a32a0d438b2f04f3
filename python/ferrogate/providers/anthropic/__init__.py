"""The Anthropic Messages API, spoken to OpenAI clients: requests, answers and streams mapped."""

from .adapter import AnthropicProvider

__all__ = ["AnthropicProvider"]
