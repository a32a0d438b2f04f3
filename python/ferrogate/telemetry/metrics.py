"""Prometheus metrics for the gateway: one sink that turns each RequestRecord into counts.

Several worker processes share the counts through prometheus_client's multiprocess mode; see
`metrics_multiprocess` for the one rule that makes it work (the environment variable is set
before the workers start).

Each worker gathers its updates in plain dicts and writes them to prometheus_client at most
every `flush_interval_s` (see `metrics_buffer`): on an `observe` that finds the interval
passed, from a timer on the worker's event loop, and before `render`. So /metrics shows the
worker that answers the scrape up to date, and every other worker at most one interval
behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from contextlib import suppress
from time import monotonic

from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder

from .metrics_buffer import CounterBuffer, HistogramBuffer
from .metrics_families import build_families
from .metrics_flush_timer import FlushTimer
from .metrics_labels import (
    CACHE_LOOKUP_RESULTS,
    CACHE_RESULTS,
    NONE,
    OTHER,
    RATE_LIMIT_KINDS,
    ROUTES,
    STAGES,
    STREAM_OUTCOMES,
    ModelLabels,
    bounded,
    upstream_error_code,
)
from .metrics_multiprocess import aggregated_registry, check_storage
from .record import RequestRecord

# A flush is also due after this many records, whatever the time: it bounds the values a
# worker holds (histograms keep each observed value until the flush) under heavy traffic.
MAX_PENDING = 4096


class GatewayMetrics:
    """The gateway's metrics, updated from one `RequestRecord` per request.

    ``registry``: where the metrics register (a new one by default, so that two instances,
    as in tests, never clash). ``known_models``: the configured model names; any other name
    is labelled ``other``. Without it, a process labels the first hundred names it sees and
    the rest ``other``. ``flush_interval_s``: how long updates may wait in this process
    before prometheus_client (and so other workers' /metrics) sees them; `flush` writes
    them at once.
    """

    def __init__(
        self,
        registry: CollectorRegistry | None = None,
        *,
        known_models: Iterable[str] | None = None,
        flush_interval_s: float = 1.0,
    ):
        check_storage()
        self.registry = registry if registry is not None else CollectorRegistry()
        families = build_families(self.registry)
        self._model = ModelLabels(known_models)
        self._tasks = families.event_loop_tasks
        self._requests = CounterBuffer(families.requests)
        self._duration = HistogramBuffer(families.request_duration)
        self._overhead = HistogramBuffer(families.overhead)
        self._stage = HistogramBuffer(families.stage)
        self._ttft = HistogramBuffer(families.time_to_first_token)
        self._inter_token = HistogramBuffer(families.inter_token)
        self._tokens = CounterBuffer(families.tokens)
        self._cost = CounterBuffer(families.cost)
        self._cache_lookups = CounterBuffer(families.cache_lookups)
        self._rate_limited = CounterBuffer(families.rate_limited)
        self._upstream_errors = CounterBuffer(families.upstream_errors)
        self._stream_outcomes = CounterBuffer(families.stream_outcomes)
        self._similarity = HistogramBuffer(families.cache_similarity)
        self._retries = CounterBuffer(families.retries)
        self._fallbacks = CounterBuffer(families.fallbacks)
        self._hedges = CounterBuffer(families.hedges)
        self._buffers = [
            buffer
            for buffer in vars(self).values()
            if isinstance(buffer, CounterBuffer | HistogramBuffer)
        ]
        self._interval_s = flush_interval_s
        self._pending_records = 0
        # Due at once: the first observe starts the timer, on the worker's loop.
        self._flush_due = 0.0
        self._timer = FlushTimer(self.flush, flush_interval_s)

    def observe(self, record: RequestRecord) -> None:
        """Count one finished request: a few dict updates, written out at the next flush.

        One flat pass with the rare parts behind one test: with a helper per family it
        cost about a third more (bench/feature_costs.py, "metrics").
        """
        route = record.route
        if route not in ROUTES:
            route = OTHER
        model = self._model(record.model)
        cache = record.cache
        cache_label = NONE if cache is None else cache if cache in CACHE_RESULTS else OTHER
        provider = record.provider or NONE
        status = record.status
        status_text = str(status) if 100 <= status <= 599 else NONE
        self._requests.add((route, model, provider, status_text, cache_label))
        self._duration.add((route, model), record.duration_s)
        self._overhead.add((route,), record.overhead_s)
        stage_add = self._stage.add
        for stage, seconds in record.stages_s.items():
            stage_add((stage if stage in STAGES else OTHER,), seconds)
        if record.stream:
            self._observe_stream(record, model)
        tokens = self._tokens
        if record.prompt_tokens:
            tokens.add((model, "prompt"), record.prompt_tokens)
        if record.completion_tokens:
            tokens.add((model, "completion"), record.completion_tokens)
        if record.cost_usd:
            self._cost.add((model,), record.cost_usd)
        if cache in CACHE_LOOKUP_RESULTS:
            self._cache_lookups.add((cache_label,))
        if record.cache_similarity is not None:
            self._similarity.add((), record.cache_similarity)
        if status >= 400 or record.outcome != "completed" or record.rate_limited is not None:
            self._count_failure(record, provider)
        if record.retries:
            self._retries.add((), record.retries)
        if record.fallbacks:
            self._fallbacks.add((), record.fallbacks)
        if record.hedged:
            self._hedges.add(())
        self._pending_records += 1
        if self._pending_records >= MAX_PENDING or monotonic() >= self._flush_due:
            self.flush()
            # Only here, at most once an interval: outside a loop, trying again costs a raise.
            self._timer.start()

    def flush(self) -> None:
        """Write every update gathered since the last flush to prometheus_client."""
        self._pending_records = 0
        self._flush_due = monotonic() + self._interval_s
        for buffer in self._buffers:
            buffer.flush()
        with suppress(RuntimeError):  # flushed at exit, with no loop running
            self._tasks.set(len(asyncio.all_tasks()))

    def render(
        self, multiprocess_dir: str | None = None, accept: str | None = None
    ) -> tuple[bytes, str]:
        """The /metrics body and content type: this process's counts, or with
        ``multiprocess_dir`` (PROMETHEUS_MULTIPROC_DIR) every worker's, summed; other
        workers' counts may lag by up to their flush interval."""
        self.flush()
        return render(self.registry, multiprocess_dir, accept)

    def _observe_stream(self, record: RequestRecord, model: str) -> None:
        self._stream_outcomes.add((bounded(record.outcome, STREAM_OUTCOMES),))
        if record.ttft_s is not None:
            self._ttft.add((model,), record.ttft_s)
        if record.inter_token_s:
            self._inter_token.add_many((model,), record.inter_token_s)

    def _count_failure(self, record: RequestRecord, provider: str) -> None:
        if record.rate_limited is not None:
            self._rate_limited.add((bounded(record.rate_limited, RATE_LIMIT_KINDS),))
        code = upstream_error_code(record)
        if code is not None:
            self._upstream_errors.add((provider, code))


def render(
    registry: CollectorRegistry | None,
    multiprocess_dir: str | None = None,
    accept: str | None = None,
) -> tuple[bytes, str]:
    """The /metrics body and its content type. With ``multiprocess_dir``, every worker's
    counts summed (``registry`` is then unused: each worker's own holds only its share);
    ``accept``, the request's Accept header, may ask for OpenMetrics."""
    if multiprocess_dir is not None:
        registry = aggregated_registry(multiprocess_dir)
    if registry is None:
        raise ValueError("render needs a registry or a multiprocess directory")
    encode, content_type = choose_encoder(accept or "")
    return encode(registry), content_type
