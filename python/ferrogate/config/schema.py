"""The typed shape of the YAML config. Each default sits next to its field."""

from __future__ import annotations

from typing import Literal

import msgspec

ProviderName = Literal["openai", "anthropic", "gemini", "azure", "demo"]


class Deployment(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    provider: ProviderName
    model: str  # the upstream's model id
    base_url: str = ""
    # An empty key disables the deployment (how the embedded default enables providers
    # only when their key variables are set). A keyless server takes any placeholder.
    api_key: str = ""
    timeout_s: float = 600.0  # whole answer, or the longest gap between stream chunks
    connect_timeout_s: float = 10.0
    headers: dict[str, str] = {}
    chunk_delay_ms: float = 0.0  # demo only: pause between streamed words
    # azure only: the `api-version` query parameter. 2024-10-21 is a GA version with tools,
    # images, JSON output and embeddings; older ones refuse the `stream_options` the gateway
    # sends with every stream to capture usage.
    api_version: str = "2024-10-21"

    @property
    def enabled(self) -> bool:
        return self.provider == "demo" or bool(self.api_key)


class Model(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    name: str  # what clients send as "model"
    deployments: list[Deployment]


class CacheConfig(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    enabled: bool = False
    threshold: float = (
        0.84  # cosine similarity; the lowest meeting the false-hit target on the dev pairs
    )
    ttl_s: int = 86_400
    l1_capacity: int = 10_000
    exact_capacity: int = 10_000
    max_temperature: float = 0.5  # above it requests bypass: their answers are meant to vary
    fill_queue: int = 1_000  # pending cache writes; when full, a write is dropped and counted


class Config(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    models: list[Model]
    cache: CacheConfig = CacheConfig()
