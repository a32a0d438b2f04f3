"""Embeddings from an upstream's OpenAI-shaped embeddings API, through a Ferrogate provider."""

from __future__ import annotations

import uuid

import numpy as np
import orjson

from ferrogate.providers.base import ChatProvider, EmbeddingCall

from .base import EmbeddingShapeError, normalize_rows


class OpenAIEmbedder:
    def __init__(self, provider: ChatProvider, model: str, dim: int | None = None):
        """`dim`, when given, is checked against every answer; otherwise the first one sets it.

        The provider is borrowed: whoever built it closes it.
        """
        self._provider = provider
        self._model = model
        self._dim = dim
        self.name = f"{provider.name}/{model}"

    @property
    def dim(self) -> int:
        if self._dim is None:
            raise RuntimeError(f"{self.name}: width unknown until the first answer")
        return self._dim

    async def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self._dim or 0), dtype=np.float32)
        body = {"model": self._model, "input": list(texts), "encoding_format": "float"}
        call = EmbeddingCall(body=body, request_id=_request_id())
        answer = await self._provider.embed(call)
        return normalize_rows(self._matrix(answer.body, len(texts)))

    def _matrix(self, body: bytes, count: int) -> np.ndarray:
        data = sorted(orjson.loads(body)["data"], key=lambda item: item["index"])
        if len(data) != count:
            raise EmbeddingShapeError(f"{self.name}: {len(data)} embeddings for {count} inputs")
        widths = {len(item["embedding"]) for item in data}
        if len(widths) != 1 or (self._dim is not None and widths != {self._dim}):
            raise EmbeddingShapeError(f"{self.name}: embeddings {sorted(widths)} wide")
        self._dim = widths.pop()
        return np.array([item["embedding"] for item in data], dtype=np.float32)


def _request_id() -> str:
    return f"cache-embed-{uuid.uuid4().hex}"
