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
    # Routing. `id` names the deployment in health and latency records shared through
    # Redis; empty: "<model name>#<position>".
    id: str = ""
    weight: float = 1.0  # strategy `weighted`: share of traffic
    priority: int = 0  # strategy `fallback`: lower is tried first
    # USD per million tokens; unset: the `prices` table's entry for `model` (strategy `cost`).
    input_per_mtok: float | None = None
    output_per_mtok: float | None = None
    context_window: int | None = None  # prompt + max_tokens must fit; unset: not checked
    # No first streamed chunk (or no answer) this soon: the attempt fails and is retried.
    first_token_timeout_s: float | None = None
    max_retries: int = 2  # on connection errors, timeouts, 429 and 5xx; never other 4xx
    # The deployment's own limits (e.g. the provider account's); the router skips it when
    # full. Tokens count prompt + max_tokens at admission, as OpenAI's own limiter does.
    rpm: int | None = None
    tpm: int | None = None

    @property
    def enabled(self) -> bool:
        return self.provider == "demo" or bool(self.api_key)


class Model(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    name: str  # what clients send as "model"
    deployments: list[Deployment]
    strategy: Literal["fallback", "weighted", "least-latency", "cost"] = "fallback"
    # Other model names tried in order once every deployment of this one has failed.
    fallbacks: list[str] = []
    # Rewrite rules: other names clients may send that this model serves (e.g. an old id).
    aliases: list[str] = []
    # Hedging: no first token after this long, the next deployment is started too and the
    # first to answer wins. Unset: off.
    hedge_after_ms: float | None = None

    def deployment_id(self, position: int) -> str:
        return self.deployments[position].id or f"{self.name}#{position}"


class RoutingConfig(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    failures_to_cool_down: int = 3  # consecutive failures that take a deployment out
    cooldown_s: float = 30.0  # then one probe request is let through
    retry_base_delay_s: float = 0.5  # exponential backoff with full jitter
    retry_max_delay_s: float = 8.0
    max_retry_after_s: float = 30.0  # an upstream asking to wait longer: next deployment


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
    # Which embedder compares user turns: "local" (all-MiniLM-L6-v2 in process) or "openai"
    # (the deployment serving the gateway model `embedding_model`, e.g.
    # text-embedding-3-small; checked at start to be served by a provider that can embed).
    embedder: Literal["local", "openai"] = "local"
    embedding_model: str = ""
    # Model alias -> TTL seconds for its answers; the x-ferrogate-cache-ttl header still wins.
    ttl_by_model: dict[str, int] = {}

    def __post_init__(self) -> None:
        # msgspec turns a ValueError here into a config error that names the cache section.
        if self.embedder == "openai" and not self.embedding_model:
            raise ValueError(
                "embedding_model: must name the gateway model that embeds "
                "when cache.embedder is openai"
            )
        for model, ttl_s in self.ttl_by_model.items():
            if ttl_s < 1:
                raise ValueError(f"ttl_by_model.{model}: must be at least 1 second")


class KeysConfig(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    # Empty: the gateway runs open (no keys checked, admin API off). The environment
    # variable FERROGATE_MASTER_KEY sets it too.
    master_key: str = ""
    # The HMAC key under which virtual-key secrets are stored. Empty: derived from the master
    # key, so changing the master key then invalidates every virtual key.
    pepper: str = ""
    store: Literal["auto", "sqlite", "redis"] = "auto"  # auto: Redis when a Redis URL is set
    sqlite_path: str = "ferrogate-keys.sqlite3"
    # How long a verified key is trusted without reading the store again: the longest a
    # revoked or changed key keeps its old powers on another instance.
    verified_ttl_s: float = 5.0


class LimitsConfig(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    # What limits do while Redis is unreachable: fail-open keeps answering under each
    # instance's local limits; fail-closed answers 503.
    redis_policy: Literal["fail-open", "fail-closed"] = "fail-open"
    # Reserved at admission for a request without max_tokens, settled to the real count.
    expected_output_tokens: int = 1024
    # Share of a key's limit one instance may lease from Redis at a time while the bucket
    # is far from empty; near empty every admission goes to Redis.
    lease_fraction: float = 0.002


class Price(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    input_per_mtok: float  # USD per million prompt tokens
    output_per_mtok: float  # USD per million completion tokens


class StreamingConfig(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    # A stream with no chunk for this long is ended with an error event (and the upstream
    # call closed), whatever the deployment's own timeout.
    idle_timeout_s: float = 300.0
    # A stream still running after this long is ended with an error event, so no stream
    # holds a connection and an upstream call forever; 0 or null: no bound.
    max_duration_s: float | None = 600.0


class ServerConfig(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    # Slow clients hold a connection each: a request's head (line and headers) must arrive
    # within `header_timeout_s`, and its whole body within `body_timeout_s` after that
    # (Granian; Robyn reads bodies itself, without a deadline).
    header_timeout_s: float = 30.0
    body_timeout_s: float = 60.0


class TelemetryConfig(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    metrics: bool = True  # GET /metrics (Prometheus text format)
    # One JSON line per request: off | file | stdout | redis (a Redis stream).
    # YAML reads a bare `off` as false, so false means off too.
    usage_log: Literal["off", "file", "stdout", "redis"] | bool = "off"

    @property
    def usage_log_sink(self) -> str:
        return "off" if self.usage_log is False else str(self.usage_log)

    usage_log_path: str = "ferrogate-usage.jsonl"
    usage_log_stream: str = "ferrogate:usage"
    # Prompt and answer text in the usage log: off unless turned on here.
    usage_log_text: bool = False
    otlp_endpoint: str = ""  # e.g. http://collector:4318; empty: traces off
    # Share of new traces kept (a caller's traceparent decides for its own): a traced
    # request costs about 250 µs of CPU in the OpenTelemetry SDK.
    trace_sample_ratio: float = 1.0
    access_log: bool = False  # one INFO line per request on `ferrogate.access`
    # The last 15 minutes' figures for GET /admin/stats and the /ui dashboard.
    dashboard: bool = True


class Config(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    models: list[Model]
    cache: CacheConfig = CacheConfig()
    routing: RoutingConfig = RoutingConfig()
    streaming: StreamingConfig = StreamingConfig()
    server: ServerConfig = ServerConfig()
    telemetry: TelemetryConfig = TelemetryConfig()
    keys: KeysConfig = KeysConfig()
    limits: LimitsConfig = LimitsConfig()
    # Upstream model id (or alias) -> price; merged over built-in defaults for known models.
    prices: dict[str, Price] = {}
