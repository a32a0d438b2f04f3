"""A large scope's vectors as an hnswlib graph (approximate, sub-linear search)."""

from __future__ import annotations

import hnswlib
import numpy as np
from numpy.typing import NDArray

_MIN_SLOTS = 8
_EF_CONSTRUCTION = 100


class GraphVectors:
    """hnswlib 'ip' graph; removals mark slots deleted for this scope's inserts to reuse."""

    def __init__(self, dim: int, ef: int, m: int, slots: int) -> None:
        self._dim, self._ef, self._m = dim, ef, m
        self._graph = self._new_graph(max(slots, _MIN_SLOTS))
        self.labels: set[int] = set()
        self.deleted = 0  # slots marked deleted, waiting to be reused by replace_deleted

    @classmethod
    def from_rows(
        cls, labels: list[int], rows: NDArray[np.float32], ef: int, m: int
    ) -> GraphVectors:
        # Room for twice the rows: a scope is promoted because it is growing.
        graph = cls(rows.shape[1], ef, m, 2 * len(labels))
        graph._graph.add_items(rows, labels, num_threads=1)
        graph.labels = set(labels)
        return graph

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def slot_count(self) -> int:
        """Slots hnswlib holds, live and deleted."""
        return self._graph.get_current_count()

    def add(self, label: int, vector: NDArray[np.float32]) -> None:
        if self.deleted:
            self._graph.add_items(vector, [label], num_threads=1, replace_deleted=True)
            self.deleted -= 1
        else:
            if self._graph.get_current_count() == self._graph.get_max_elements():
                self._graph.resize_index(2 * self._graph.get_max_elements())
            self._graph.add_items(vector, [label], num_threads=1)
        self.labels.add(label)

    def remove(self, label: int) -> None:
        self._graph.mark_deleted(label)
        self.labels.discard(label)
        self.deleted += 1
        # Deleted slots are reused only by this scope's inserts; compacting once they
        # outnumber the live ones keeps slots <= 2 x live at an amortised cost of at most
        # one re-insert per removal.
        if self.labels and self.deleted > len(self.labels):
            labels, rows = self.live()
            self._graph = self._new_graph(max(len(labels), _MIN_SLOTS))
            self._graph.add_items(rows, labels, num_threads=1)
            self.deleted = 0

    def nearest(self, query: NDArray[np.float32], k: int) -> list[tuple[int, float]]:
        """Up to k (label, similarity) pairs, most similar first."""
        k = min(k, len(self.labels))
        try:
            labels, distances = self._graph.knn_query(query, k=k, num_threads=1)
        except RuntimeError:
            return []  # hnswlib found fewer than k live nodes
        # 'ip' distance is 1 - dot; on unit vectors dot is the cosine similarity.
        return [(int(lab), 1.0 - float(d)) for lab, d in zip(labels[0], distances[0], strict=True)]

    def live(self) -> tuple[list[int], NDArray[np.float32]]:
        """The live labels and their vectors, in the same order."""
        labels = sorted(self.labels)
        return labels, np.asarray(self._graph.get_items(labels), dtype=np.float32)

    def _new_graph(self, slots: int) -> hnswlib.Index:
        graph = hnswlib.Index(space="ip", dim=self._dim)
        graph.init_index(
            max_elements=slots,
            ef_construction=_EF_CONSTRUCTION,
            M=self._m,
            allow_replace_deleted=True,
        )
        graph.set_ef(self._ef)
        return graph
