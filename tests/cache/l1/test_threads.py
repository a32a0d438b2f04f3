"""L1 under lookups and stores from several threads at once."""

from __future__ import annotations

import threading

import numpy as np

from ferrogate.cache.entry import CachedAnswer
from ferrogate.cache.l1 import L1Index

DIM = 32
KEYS = 200  # key k always lives in scope "ns|{k % 5}" with vector VECTORS[k]
VECTORS = np.random.default_rng(7).standard_normal((KEYS, DIM)).astype(np.float32)
VECTORS /= np.linalg.norm(VECTORS, axis=1, keepdims=True)


def _worker(index: L1Index, seed: int, errors: list[str]) -> None:
    rng = np.random.default_rng(seed)
    for step in range(400):
        key = int(rng.integers(KEYS))
        scope = f"ns|{key % 5}"
        if rng.random() < 0.5:
            answer = CachedAnswer(str(key), b"{}", expires_at=1_000.0 + step)
            index.store(scope, VECTORS[key], answer, now=float(step))
            continue
        hit = index.lookup(scope, VECTORS[key], threshold=0.999, now=float(step))
        if hit is not None and hit.answer.prompt != str(key):
            errors.append(f"key {key} answered with {hit.answer.prompt}")
        if step % 100 == 0:
            index.remove_namespace("absent")


def test_concurrent_lookups_and_stores_stay_consistent_and_bounded():
    index = L1Index(DIM, capacity=64)
    errors: list[str] = []
    threads = [threading.Thread(target=_worker, args=(index, s, errors)) for s in range(4)]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert len(index) <= 64 and index.slot_count <= 128
