"""L1: the in-process semantic tier, a capacity-bounded LRU of cached answers by meaning.

Threading: every call takes one ``threading.Lock``, so hnswlib never sees a query and an
insert at the same time, whichever threads the calls come from. ``lookup`` is fast enough
to call on the event loop (tens of microseconds per scope of 1k, a few hundred at 10k
entries in one scope, see bench/cache_l1.py). Call ``store`` from the fill worker
(``asyncio.to_thread``): it may promote a scope to a graph or compact one, which costs one
insert per live entry of that scope, and the lock would make a lookup on the loop wait."""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ferrogate.cache.entry import CachedAnswer, SemanticHit
from ferrogate.cache.l1.scope_index import ScopeIndex

_CANDIDATES = 4  # a few neighbours, so an expired best match does not hide a live one


@dataclass(slots=True)
class _Entry:
    scope: str
    answer: CachedAnswer


class L1Index:
    """Unit float32 vectors (inner product = cosine) with one answer each, per scope.

    At most ``capacity`` entries; when full, an expired entry goes first, else the least
    recently used (hits and inserts both count as use). Scopes hold at most
    2 x ``capacity`` slots: a small scope's matrix holds only live rows; a large scope's
    graph reuses its deleted slots and is compacted once they outnumber its live ones.
    """

    def __init__(self, dim: int, capacity: int, ef: int = 64, m: int = 16) -> None:
        if dim < 1 or capacity < 1:
            raise ValueError("dim and capacity must be >= 1")
        self._dim, self._capacity, self._ef, self._m = dim, capacity, ef, m
        self._lock = threading.Lock()
        self._scopes: dict[str, ScopeIndex] = {}
        self._entries: OrderedDict[int, _Entry] = OrderedDict()  # LRU first
        self._expiry: list[tuple[float, int]] = []  # (expires_at, label), lazily pruned
        self._next_label = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def slot_count(self) -> int:
        """Vector slots held across all scopes, live and deleted."""
        with self._lock:
            return sum(index.slot_count for index in self._scopes.values())

    @property
    def graph_count(self) -> int:
        """Scopes held as hnswlib graphs; the others are matrices scanned exactly."""
        with self._lock:
            return sum(index.is_graph for index in self._scopes.values())

    def lookup(
        self, scope: str, vector: ArrayLike, threshold: float, now: float
    ) -> SemanticHit | None:
        """The most similar live entry of ``scope`` with similarity >= threshold, or None."""
        query = self._as_query(vector)
        with self._lock:
            while (index := self._scopes.get(scope)) is not None:
                expired = False
                for label, similarity in index.nearest(query, _CANDIDATES):
                    if similarity < threshold:
                        return None
                    entry = self._entries[label]
                    if entry.answer.expires_at > now:
                        self._entries.move_to_end(label)
                        return SemanticHit(entry.answer, similarity)
                    self._remove(label)
                    expired = True
                if not expired:
                    return None
            return None

    def store(self, scope: str, vector: ArrayLike, answer: CachedAnswer, now: float) -> None:
        """Keep ``answer`` under ``vector`` in ``scope``, evicting one entry when full."""
        if answer.expires_at <= now:
            return
        row = self._as_query(vector)
        with self._lock:
            self._reclaim_expired(now)
            if len(self._entries) >= self._capacity:
                self._remove(next(iter(self._entries)))
            label = self._next_label
            self._next_label += 1
            index = self._scopes.get(scope)
            if index is None:
                index = self._scopes[scope] = ScopeIndex(self._dim, self._ef, self._m)
            index.add(label, row)
            self._entries[label] = _Entry(scope, answer)
            heapq.heappush(self._expiry, (answer.expires_at, label))
            if len(self._expiry) > 2 * self._capacity:
                self._rebuild_expiry()

    def remove_scope(self, scope: str) -> int:
        """Drop every entry of one scope; returns how many."""
        return self.remove_where(lambda candidate: candidate == scope)

    def remove_namespace(self, namespace: str) -> int:
        """Drop every scope of a namespace (keys "<namespace>|<hash>"); returns how many.

        Split at the last "|" (the hash has none), so flushing "a" spares namespace "a|b".
        """
        return self.remove_where(lambda candidate: candidate.rpartition("|")[0] == namespace)

    def remove_where(self, predicate: Callable[[str], bool]) -> int:
        """Drop every entry whose scope matches; returns how many. Runs under the lock."""
        with self._lock:
            doomed = [scope for scope in self._scopes if predicate(scope)]
            removed = 0
            for scope in doomed:
                for label in self._scopes.pop(scope).labels:
                    del self._entries[label]
                    removed += 1
            return removed

    def _remove(self, label: int) -> None:
        entry = self._entries.pop(label)
        index = self._scopes[entry.scope]
        index.remove(label)
        if not index.labels:
            del self._scopes[entry.scope]  # frees its matrix or graph

    def _reclaim_expired(self, now: float) -> None:
        while self._expiry and self._expiry[0][0] <= now:
            _, label = heapq.heappop(self._expiry)
            if label in self._entries:
                self._remove(label)

    def _rebuild_expiry(self) -> None:
        # Evicted and flushed entries leave stale heap items; rebuilding when they
        # outnumber the live ones keeps the heap bounded by 2 x capacity.
        self._expiry = [(e.answer.expires_at, label) for label, e in self._entries.items()]
        heapq.heapify(self._expiry)

    def _as_query(self, vector: ArrayLike) -> NDArray[np.float32]:
        row = np.asarray(vector, dtype=np.float32)
        if row.shape != (self._dim,):
            raise ValueError(f"expected a vector of shape ({self._dim},), got {row.shape}")
        return row.reshape(1, self._dim)
