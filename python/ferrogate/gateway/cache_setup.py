"""Build the response cache from config: imported only when the cache is enabled."""

from __future__ import annotations

from ferrogate.cache.embedders import LocalEmbedder
from ferrogate.cache.l2 import L2Store, connect
from ferrogate.cache.service import ResponseCache
from ferrogate.config import CacheConfig

from .cache_stage import CacheStage


def build_cache_stage(config: CacheConfig, redis_url: str | None) -> CacheStage:
    embedder = LocalEmbedder()
    l2 = L2Store(connect(redis_url), dim=embedder.dim) if redis_url else None
    return CacheStage(ResponseCache(config, embedder, l2), config)
