"""Build the response cache from config: imported only when the cache is enabled."""

from __future__ import annotations

from ferrogate.cache.embedders import Embedder, LocalEmbedder, OpenAIEmbedder
from ferrogate.cache.l2 import connect
from ferrogate.cache.service import ResponseCache
from ferrogate.config import CacheConfig, ConfigError
from ferrogate.errors import ModelNotFound
from ferrogate.routing import ModelRegistry

from .cache_stage import CacheStage


def build_cache_stage(
    config: CacheConfig, redis_url: str | None, registry: ModelRegistry
) -> CacheStage:
    """The cache stage; ``registry`` serves the embeddings model when ``embedder: openai``.

    Raises ConfigError when that model is not served, or its provider cannot embed.
    """
    embedder = _embedder(config, registry)
    redis = connect(redis_url) if redis_url else None
    return CacheStage(ResponseCache(config, embedder, redis), config)


def _embedder(config: CacheConfig, registry: ModelRegistry) -> Embedder:
    if config.embedder == "local":
        return LocalEmbedder()
    model = config.embedding_model
    try:
        route = registry.resolve(model)
    except ModelNotFound as exc:
        raise ConfigError(f"cache.embedding_model: {exc.message}") from None
    if not route.provider.capabilities.embeddings:
        raise ConfigError(
            f"cache.embedding_model: the model `{model}` is served by the "
            f"`{route.deployment.provider}` provider, which does not support embeddings."
        )
    # The provider is the registry's: the registry closes it, the cache only borrows it.
    return OpenAIEmbedder(route.provider, route.deployment.model)
