"""Google's Gemini API (generativelanguage.googleapis.com): generateContent and embeddings."""

from .adapter import GeminiProvider

__all__ = ["GeminiProvider"]
