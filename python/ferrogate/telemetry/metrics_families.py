"""The gateway's Prometheus metric families: names, help, labels and buckets in one place."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Whole requests and first tokens: a cached answer takes milliseconds, a long completion
# minutes.
LATENCY_BUCKETS = (
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0,
)  # fmt: skip
# Gaps between streamed chunks: a fast model writes one every few milliseconds.
INTER_TOKEN_BUCKETS = (
    0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0,
)  # fmt: skip
# The gateway's own time: tens of microseconds when all is well, milliseconds when Redis is slow.
OVERHEAD_BUCKETS = (
    1e-5, 2.5e-5, 5e-5, 7.5e-5, 1e-4, 1.5e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05,
    0.1,
)  # fmt: skip
# Stages span both: parsing takes microseconds, the provider call (also a stage) minutes.
STAGE_BUCKETS = (
    1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25,
    0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
)  # fmt: skip
# Semantic cache hits sit near the top of the scale, so the buckets crowd there.
SIMILARITY_BUCKETS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.925, 0.95, 0.975, 0.99, 1.0)


@dataclass(frozen=True, slots=True)
class MetricFamilies:
    requests: Counter
    request_duration: Histogram
    overhead: Histogram
    stage: Histogram
    time_to_first_token: Histogram
    inter_token: Histogram
    tokens: Counter
    cost: Counter
    cache_lookups: Counter
    cache_similarity: Histogram
    rate_limited: Counter
    upstream_errors: Counter
    retries: Counter
    fallbacks: Counter
    hedges: Counter
    stream_outcomes: Counter
    event_loop_tasks: Gauge


def build_families(registry: CollectorRegistry) -> MetricFamilies:
    def counter(name: str, doc: str, labels: tuple[str, ...] = ()) -> Counter:
        return Counter(name, doc, labels, registry=registry)

    def histogram(name: str, doc: str, labels: tuple[str, ...], buckets) -> Histogram:
        return Histogram(name, doc, labels, registry=registry, buckets=buckets)

    return MetricFamilies(
        requests=counter(
            "ferrogate_requests_total",
            "Requests answered, by route, model, provider, HTTP status and cache result.",
            ("route", "model", "provider", "status", "cache"),
        ),
        request_duration=histogram(
            "ferrogate_request_duration_seconds",
            "Time from the first byte in to the last byte out.",
            ("route", "model"),
            LATENCY_BUCKETS,
        ),
        overhead=histogram(
            "ferrogate_overhead_seconds",
            "The gateway's own share of a request's duration (upstream time excluded).",
            ("route",),
            OVERHEAD_BUCKETS,
        ),
        stage=histogram(
            "ferrogate_stage_seconds",
            "Time spent in each stage of a request.",
            ("stage",),
            STAGE_BUCKETS,
        ),
        time_to_first_token=histogram(
            "ferrogate_time_to_first_token_seconds",
            "Streams: time until the first chunk went out.",
            ("model",),
            LATENCY_BUCKETS,
        ),
        inter_token=histogram(
            "ferrogate_inter_token_seconds",
            "Streams: gaps between consecutive chunks.",
            ("model",),
            INTER_TOKEN_BUCKETS,
        ),
        tokens=counter(
            "ferrogate_tokens_total",
            "Tokens used, prompt (in) and completion (out).",
            ("model", "direction"),
        ),
        cost=counter("ferrogate_cost_usd_total", "Cost of the requests in US dollars.", ("model",)),
        cache_lookups=counter(
            "ferrogate_cache_lookups_total",
            "Response cache lookups by result; a hit names its tier (exact, l1, l2).",
            ("result",),
        ),
        cache_similarity=histogram(
            "ferrogate_cache_similarity",
            "Similarity of the best semantic cache candidate.",
            (),
            SIMILARITY_BUCKETS,
        ),
        rate_limited=counter(
            "ferrogate_rate_limited_total",
            "Requests refused for a limit: requests, tokens or budget.",
            ("kind",),
        ),
        upstream_errors=counter(
            "ferrogate_upstream_errors_total",
            "Requests that failed because of an upstream, by provider and error code.",
            ("provider", "code"),
        ),
        retries=counter("ferrogate_retries_total", "Upstream attempts retried."),
        fallbacks=counter("ferrogate_fallbacks_total", "Deployments given up on for another."),
        hedges=counter("ferrogate_hedges_total", "Requests that sent a hedged attempt."),
        stream_outcomes=counter(
            "ferrogate_stream_outcomes_total",
            "How streams ended: completed, failed, cancelled or timed_out.",
            ("outcome",),
        ),
        # Summed over live workers: a count that only grows is a task leak (bench/soak).
        event_loop_tasks=Gauge(
            "ferrogate_event_loop_tasks",
            "Live asyncio tasks on the workers' event loops.",
            registry=registry,
            multiprocess_mode="livesum",
        ),
    )
