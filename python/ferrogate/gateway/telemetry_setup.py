"""Build the request telemetry (metrics, usage log, traces, access lines) from config."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ferrogate.config import Config
from ferrogate.spend.prices import PriceTable

from .request_telemetry import RequestTelemetry

if TYPE_CHECKING:  # each loads only when turned on
    from ferrogate.stats import Board, StatsRecorder
    from ferrogate.telemetry.metrics import GatewayMetrics


STATS_DIR_VAR = "FERROGATE_STATS_DIR"


@dataclass(frozen=True, slots=True)
class Telemetry:
    stage: RequestTelemetry
    metrics: GatewayMetrics | None  # what /metrics renders; None when off
    stats: StatsRecorder | None  # what /admin/stats reads; None when off


def build_telemetry(config: Config, redis_url: str | None, models: list[str]) -> Telemetry:
    settings = config.telemetry
    sinks = []
    closers = []
    metrics = None
    stats = None
    if settings.metrics:
        from ferrogate.telemetry.metrics import GatewayMetrics

        metrics = GatewayMetrics(known_models=models)
        sinks.append(metrics.observe)
        flush = metrics.flush

        async def flush_metrics() -> None:  # what the last second buffered
            flush()

        closers.append(flush_metrics)
    if settings.dashboard:
        from ferrogate.stats import StatsRecorder

        stats = StatsRecorder(_stats_board(redis_url), known_models=models)
        sinks.append(stats.observe)
        closers.append(stats.aclose)
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
    return Telemetry(telemetry, metrics, stats)


def _stats_board(redis_url: str | None) -> Board:
    """Redis when configured (every instance), else a folder `ferrogate serve` made for its
    workers, else this process alone."""
    from ferrogate.stats import FolderBoard, OwnBoard, RedisBoard

    if redis_url:
        from ferrogate.shared_state.redis_client import connect

        # Off the request path: two connections and a patient timeout suit a write every
        # two seconds and a read per dashboard refresh.
        return RedisBoard(connect(redis_url, max_connections=2, socket_timeout_s=2.0))
    folder = os.environ.get(STATS_DIR_VAR)
    return FolderBoard(folder) if folder else OwnBoard()


def metrics_dir() -> str | None:
    """Where every worker's metrics are, when the server runs several (see `ferrogate serve`)."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
