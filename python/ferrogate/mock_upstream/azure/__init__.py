"""Azure OpenAI's wire format for the mock upstream."""

from .mock import AzureMock

__all__ = ["AzureMock"]
