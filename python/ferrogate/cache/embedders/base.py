"""What every embedder gives: one unit-length float32 row per text."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from ferrogate.core import normalize


class EmbeddingShapeError(ValueError):
    """An embedding answer whose count or width does not fit the texts sent."""


class Embedder(Protocol):
    @property
    def dim(self) -> int: ...

    @property
    def name(self) -> str:
        """Vectors from embedders of different names never share an index."""
        ...

    async def embed(self, texts: list[str]) -> np.ndarray:
        """A C-contiguous float32 array of shape (len(texts), dim), rows of unit length."""
        ...


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    """Return `matrix` as C-contiguous float32 with each row scaled to unit length."""
    rows = np.ascontiguousarray(matrix, dtype=np.float32)
    for row in rows:
        normalize(row)
    return rows
