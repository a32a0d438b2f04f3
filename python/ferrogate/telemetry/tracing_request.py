"""One request's spans: the server span, a child per stage and a child per upstream attempt.

`RequestTrace` itself is what tracing-off hands out: every method does nothing, so the
gateway calls it unconditionally. `LiveRequestTrace` overrides each method with real spans.
Spans are parented explicitly rather than through the ambient OpenTelemetry context, so
concurrent requests on one event loop can never adopt each other's spans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from .record import RequestRecord
from .tracing_attributes import record_attributes, record_status

_PROPAGATOR = TraceContextTextMapPropagator()


class AttemptTrace:
    """One upstream attempt; `failed` marks an attempt that ended badly without raising."""

    __slots__ = ()

    def failed(self, error: str) -> None:
        """`error` must be a bounded kind ("timeout", "status_503"...), never a message."""

    def traceparent(self) -> str | None:
        return None

    def __enter__(self) -> AttemptTrace:
        return self

    def __exit__(self, kind: type[BaseException] | None, error, traceback) -> None:
        return None


class _StageScope:
    """Tracing-off's stage: one shared, reusable do-nothing context manager."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error, traceback) -> None:
        return None


_NO_ATTEMPT = AttemptTrace()
_NO_STAGE = _StageScope()


class RequestTrace:
    __slots__ = ()

    @property
    def recording(self) -> bool:
        return False

    def stage(self, name: str) -> _StageScope:
        """A child span around one stage: parse, auth, limits, cache, route, respond."""
        return _NO_STAGE

    def add_stage(self, name: str, start_ns: int, end_ns: int) -> None:
        """A stage measured elsewhere; times are Unix epoch nanoseconds (`time.time_ns()`)."""

    def attempt(self, deployment_id: str, provider: str, attempt_number: int) -> AttemptTrace:
        """A child span around one upstream attempt, hedges included."""
        return _NO_ATTEMPT

    def add_attempt(
        self, deployment: str, provider: str, start_ns: int, end_ns: int, error: str | None
    ) -> None:
        """An attempt reconstructed after the fact, added in the order the attempts started.

        Times are Unix epoch nanoseconds; `error` is a bounded kind, None for success.
        """

    def finish(self, record: RequestRecord, finish_reasons: Sequence[str] = ()) -> None:
        """Describe the request from its record and end its span. Call once."""

    def traceparent(self) -> str | None:
        """The W3C traceparent naming this request's span, to forward upstream."""
        return None


NO_TRACE = RequestTrace()


class _LiveStage(_StageScope):
    __slots__ = ("_span",)

    def __init__(self, span: Span) -> None:
        self._span = span

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None:
            _mark_raised(self._span, kind)
        self._span.end()


class _LiveAttempt(AttemptTrace):
    __slots__ = ("_span",)

    def __init__(self, span: Span) -> None:
        self._span = span

    def failed(self, error: str) -> None:
        _mark_failed(self._span, error)

    def traceparent(self) -> str | None:
        return _traceparent(self._span)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None:
            _mark_raised(self._span, kind)
        self._span.end()


class _UnsampledAttempt(AttemptTrace):
    __slots__ = ("_request_span",)

    def __init__(self, request_span: Span) -> None:
        self._request_span = request_span

    def traceparent(self) -> str | None:
        return _traceparent(self._request_span)


class LiveRequestTrace(RequestTrace):
    __slots__ = ("_added_attempts", "_context", "_method", "_recording", "_span", "_tracer")

    def __init__(
        self, tracer: Tracer, request_id: str, method: str, path: str, headers: Mapping[str, str]
    ) -> None:
        parent = _PROPAGATOR.extract(headers) if "traceparent" in headers else None
        self._tracer = tracer
        self._method = method
        self._span = tracer.start_span(
            _span_name(method, path),
            context=parent,
            kind=SpanKind.SERVER,
            attributes={
                "http.request.method": method,
                "url.path": path,
                "ferrogate.request_id": request_id,
            },
        )
        self._context: Context = trace.set_span_in_context(self._span)
        self._added_attempts = 0
        # A sampled-out request (by our ratio or the caller's flag) makes no child spans:
        # that is where most of a trace's cost is.
        self._recording = self._span.is_recording()

    @property
    def recording(self) -> bool:
        return self._recording

    def stage(self, name: str) -> _StageScope:
        if not self._recording:
            return _NO_STAGE
        return _LiveStage(self._tracer.start_span(name, context=self._context))

    def add_stage(self, name: str, start_ns: int, end_ns: int) -> None:
        if not self._recording:
            return
        span = self._tracer.start_span(name, context=self._context, start_time=start_ns)
        span.end(end_time=end_ns)

    def attempt(self, deployment_id: str, provider: str, attempt_number: int) -> AttemptTrace:
        if not self._recording:
            # Upstreams still hear that this trace is not sampled.
            return _UnsampledAttempt(self._span)
        span = self._start_attempt(deployment_id, provider, attempt_number, None)
        return _LiveAttempt(span)

    def add_attempt(
        self, deployment: str, provider: str, start_ns: int, end_ns: int, error: str | None
    ) -> None:
        # Reconstructed attempts carry no number of their own: they are numbered in the
        # order they are added, which is the order the router made them.
        if not self._recording:
            return
        self._added_attempts += 1
        span = self._start_attempt(deployment, provider, self._added_attempts, start_ns)
        if error is not None:
            _mark_failed(span, error)
        span.end(end_time=end_ns)

    def finish(self, record: RequestRecord, finish_reasons: Sequence[str] = ()) -> None:
        span = self._span
        if not self._recording:
            span.end()
            return
        if record.route == "other":
            # No known route: name the span by its method alone, so stray paths
            # can't multiply span names (the HTTP conventions' rule for unknown routes).
            span.update_name(self._method)
        span.set_attributes(record_attributes(record, finish_reasons))
        status = record_status(record)
        if status is not None:
            span.set_status(status)
        span.end()

    def traceparent(self) -> str | None:
        return _traceparent(self._span)

    def _start_attempt(
        self, deployment: str, provider: str, number: int, start_ns: int | None
    ) -> Span:
        attributes = {
            "ferrogate.deployment": deployment,
            "ferrogate.attempt": number,
            "gen_ai.system": provider,
            "gen_ai.provider.name": provider,
        }
        return self._tracer.start_span(
            f"attempt {deployment}",
            context=self._context,
            kind=SpanKind.CLIENT,
            attributes=attributes,
            start_time=start_ns,
        )


def _span_name(method: str, path: str) -> str:
    # Admin paths end in key ids; the span name keeps only the family.
    if path.startswith("/admin/"):
        return f"{method} /admin"
    return f"{method} {path}"


def _mark_raised(span: Span, kind: type[BaseException]) -> None:
    # The class name only: exception messages may quote request bodies.
    span.set_attribute("error.type", kind.__name__)
    span.set_status(Status(StatusCode.ERROR, kind.__name__))


def _mark_failed(span: Span, error: str) -> None:
    span.set_attribute("error.type", error)
    span.set_status(Status(StatusCode.ERROR, error))


def _traceparent(span: Span) -> str | None:
    context = span.get_span_context()
    if not context.is_valid:
        return None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"
