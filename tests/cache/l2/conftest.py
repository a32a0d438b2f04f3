from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np
import pytest
import redis
import redis.asyncio

from ferrogate.cache.l2 import L2Store, connect

DIM = 8


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def l2_client(
    redis_client: redis.Redis, redis_stack_url: str
) -> AsyncIterator[redis.asyncio.Redis]:
    """An L2 client on the session's Redis Stack, emptied (indexes too) by redis_client."""
    client = connect(redis_stack_url)
    yield client
    await client.aclose()


@pytest.fixture
async def l2(l2_client: redis.asyncio.Redis) -> L2Store:
    store = L2Store(l2_client, DIM)
    await store.ensure_index()
    return store


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


def blend(a: np.ndarray, b: np.ndarray, weight_b: float) -> np.ndarray:
    """A unit vector between a and b: a paraphrase of a, more distant as weight_b grows."""
    vector = (1 - weight_b) * a + weight_b * b
    return (vector / np.linalg.norm(vector)).astype(np.float32)
