"""Azure OpenAI: OpenAI's wire format behind per-deployment URLs and an `api-key` header."""

from .adapter import AzureProvider

__all__ = ["AzureProvider"]
