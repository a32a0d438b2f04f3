"""Text to unit float32 vectors for the semantic cache: a local ONNX model or a provider's API."""

from .base import Embedder, EmbeddingShapeError, normalize_rows
from .local import LocalEmbedder
from .model_files import ModelIntegrityError
from .provider import OpenAIEmbedder

__all__ = [
    "Embedder",
    "EmbeddingShapeError",
    "LocalEmbedder",
    "ModelIntegrityError",
    "OpenAIEmbedder",
    "normalize_rows",
]
