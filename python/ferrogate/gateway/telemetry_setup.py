"""Build the request telemetry (metrics, usage log, traces, access lines) from config."""

from __future__ import annotations

import os

from ferrogate.config import Config
from ferrogate.spend.prices import PriceTable

from .request_telemetry import RequestTelemetry


def build_telemetry(
    config: Config, redis_url: str | None, models: list[str]
) -> tuple[RequestTelemetry, object | None]:
    """The telemetry stage, and the metrics object `/metrics` renders (None when off)."""
    settings = config.telemetry
    sinks = []
    closers = []
    metrics = None
    if settings.metrics:
        from ferrogate.telemetry.metrics import GatewayMetrics

        metrics = GatewayMetrics(known_models=models)
        sinks.append(metrics.observe)
        flush = metrics.flush

        async def flush_metrics() -> None:  # what the last second buffered
            flush()

        closers.append(flush_metrics)
    if settings.usage_log_sink != "off":
        from ferrogate.telemetry.usage_log import UsageLog

        usage_log = UsageLog(
            settings.usage_log_sink,
            path=settings.usage_log_path,
            redis_url=redis_url,
            stream_key=settings.usage_log_stream,
            include_text=settings.usage_log_text,
        )
        sinks.append(usage_log.write)
        closers.append(usage_log.aclose)
    tracing = None
    if settings.otlp_endpoint:
        from ferrogate.telemetry.tracing import Tracing

        tracing = Tracing.from_settings(
            settings.otlp_endpoint, sample_ratio=settings.trace_sample_ratio
        )
    telemetry = RequestTelemetry(
        sinks,
        access=settings.access_log,
        prices=PriceTable(config.prices),
        tracing=tracing,
        closers=closers,
    )
    return telemetry, metrics


def metrics_dir() -> str | None:
    """Where every worker's metrics are, when the server runs several (see `ferrogate serve`)."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
