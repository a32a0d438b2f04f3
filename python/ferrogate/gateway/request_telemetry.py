"""Start a request's record, and hand the finished record to every telemetry sink.

Sinks take a record and return at once (counters, a queue); whatever is slow runs in
their own background tasks. With every sink off this costs one small object a request.

Finished records reach the sinks in batches of `BATCH_RECORDS`: each sink then runs over
the batch with its code and data still in the CPU's caches. Called once per request
between all the rest of the request's code, the three sinks cost 34.5 µs a request in
process; batched, 20 (bench/feature_costs.py's loop, medians of 7 rounds, this machine at
78 µs a bare request). A batch waits at most `DRAIN_EVERY_S` when traffic stops, and
whatever reads the sinks' figures (/metrics, /admin/stats) calls `drain` first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from time import perf_counter
from typing import TYPE_CHECKING

from ferrogate.telemetry import RequestRecord
from ferrogate.telemetry.metrics_flush_timer import FlushTimer

from .http import Request

if TYPE_CHECKING:
    from ferrogate.spend.prices import PriceTable
    from ferrogate.telemetry.tracing import Tracing

log = logging.getLogger("ferrogate.gateway")
access_log = logging.getLogger("ferrogate.access")

Sink = Callable[[RequestRecord], None]
BATCH_RECORDS = 64
DRAIN_EVERY_S = 0.25
_ROUTES = {"/v1/chat/completions": "chat", "/v1/embeddings": "embeddings", "/v1/models": "models"}


class RequestTelemetry:
    def __init__(
        self,
        sinks: Sequence[Sink] = (),
        *,
        access: bool = False,
        prices: PriceTable | None = None,
        tracing: Tracing | None = None,
        closers: Sequence[Callable[[], Awaitable[None]]] = (),
    ):
        self._sinks = list(sinks)
        # The access line is written as the request ends: a log is read as it happens.
        self._at_once: list[Sink] = [_access_line] if access else []
        self._pending: list[RequestRecord] = []
        self._timer = FlushTimer(self.drain, DRAIN_EVERY_S)
        self._prices = prices
        self._tracing = tracing if tracing is not None and tracing.enabled else None
        self._closers = list(closers)

    def begin(self, request: Request, request_id: str) -> RequestRecord:
        path = request.path.rstrip("/") or "/"
        route = _ROUTES.get(path) or ("admin" if path.startswith("/admin/") else "other")
        record = RequestRecord(request_id, route, time.time(), started_perf=perf_counter())
        if self._tracing is not None:
            record.trace = self._tracing.request_span(
                request_id, request.method, path, request.headers
            )
        return record

    def finish(self, record: RequestRecord) -> None:
        _count_stream_usage(record)
        if (
            self._prices is not None
            and record.upstream_model
            and record.cache in (None, "miss", "bypass")
        ):
            record.cost_usd = self._prices.cost(
                record.upstream_model, record.prompt_tokens, record.completion_tokens
            )
        if record.trace is not None:
            _finish_trace(record)
        for sink in self._at_once:
            _give(sink, record)
        if not self._sinks:
            return
        pending = self._pending
        pending.append(record)
        if len(pending) >= BATCH_RECORDS:
            self.drain()
        elif len(pending) == 1:
            self._timer.start()  # once per loop; then it ticks every DRAIN_EVERY_S

    def drain(self) -> None:
        """Hand every finished record still held to the sinks."""
        batch, self._pending = self._pending, []
        for sink in self._sinks:
            for record in batch:
                _give(sink, record)

    async def aclose(self) -> None:
        self.drain()
        for close in self._closers:
            await close()
        if self._tracing is not None:
            self._tracing.shutdown()


def _give(sink: Sink, record: RequestRecord) -> None:
    try:
        sink(record)
    except Exception:  # telemetry never fails a request
        log.warning("a telemetry sink failed", exc_info=True)


def _count_stream_usage(record: RequestRecord) -> None:
    counts = getattr(record.stream_usage, "counts", None)
    if not isinstance(counts, dict):
        return
    for field in ("prompt_tokens", "completion_tokens"):
        value = counts.get(field)
        if isinstance(value, int) and value >= 0:
            setattr(record, field, value)


def _finish_trace(record: RequestRecord) -> None:
    def epoch_ns(moment: float) -> int:
        return int((record.started_unix + (moment - record.started_perf)) * 1e9)

    trace = record.trace
    for name, start, end in record.stage_spans:
        trace.add_stage(name, epoch_ns(start), epoch_ns(end))
    for deployment, provider, start, end, error in record.attempt_log:
        trace.add_attempt(deployment, provider, epoch_ns(start), epoch_ns(end), error)
    trace.finish(record)


def _access_line(record: RequestRecord) -> None:
    # No prompt text, no key material: the key id is public, the rest is bookkeeping.
    access_log.info(
        "%s %s %s %d %s %.1fms cache=%s attempts=%d tokens=%d+%d",
        record.request_id,
        record.route,
        _printable(record.model),
        record.status,
        record.outcome,
        record.duration_s * 1000,
        record.cache or "-",
        record.attempts,
        record.prompt_tokens,
        record.completion_tokens,
    )


def _printable(model: str | None) -> str:
    """The client's model name as one safe token: it is logged before it is known to exist,
    so a newline or an escape in it could forge or colour access lines."""
    if not model:
        return "-"
    if model.isascii() and model.isprintable() and " " not in model and len(model) <= 128:
        return model
    return repr(model[:128])
