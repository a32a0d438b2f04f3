"""Request traces as an in-memory exporter sees them: the tree, the attributes, the parent."""

from __future__ import annotations

import threading
import time

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from ferrogate.telemetry import RequestRecord
from ferrogate.telemetry.tracing import Tracing, traceparent_of

INCOMING_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
INCOMING_SPAN_ID = "00f067aa0ba902b7"
PROMPT = "tell me the launch codes"
API_KEY = "fg-key123-s3cr3tsecretsecret"


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracing(exporter: InMemorySpanExporter) -> Tracing:
    tracing = Tracing.from_settings(None, service_name="ferrogate-test", exporter=exporter)
    yield tracing
    tracing.shutdown()


def chat_record(**changes) -> RequestRecord:
    facts = dict(
        request_id="req_1",
        route="chat",
        started_unix=time.time(),
        key_id="key123",
        model="fast",
        deployment="openai-east",
        provider="openai",
        upstream_model="gpt-4o-mini",
        status=200,
        cache="miss",
        attempts=2,
        retries=1,
        prompt_tokens=12,
        completion_tokens=34,
        cost_usd=0.0001,
        prompt_text=PROMPT,
        answer_text="no",
    )
    return RequestRecord(**(facts | changes))


def request_headers(**extra: str) -> dict[str, str]:
    return {"authorization": f"Bearer {API_KEY}", "content-type": "application/json", **extra}


def traceparent_header(context) -> str:
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def spans_by_name(exporter: InMemorySpanExporter) -> dict:
    return {span.name: span for span in exporter.get_finished_spans()}


def test_request_span_has_a_child_per_stage_and_per_attempt(tracing, exporter):
    trace = tracing.request_span("req_1", "POST", "/v1/chat/completions", request_headers())
    for stage in ("parse", "auth", "limits", "cache", "route"):
        with trace.stage(stage):
            pass
    with trace.attempt("openai-west", "openai", 1) as attempt:
        attempt.failed("status_503")
    with trace.attempt("openai-east", "openai", 2):
        pass
    with trace.stage("respond"):
        pass
    trace.finish(chat_record())

    spans = spans_by_name(exporter)
    root = spans["POST /v1/chat/completions"]
    assert root.kind is SpanKind.SERVER
    assert root.parent is None
    children = [span for span in spans.values() if span is not root]
    assert sorted(span.name for span in children) == sorted(
        [
            "parse",
            "auth",
            "limits",
            "cache",
            "route",
            "respond",
            "attempt openai-west",
            "attempt openai-east",
        ]
    )
    for child in children:
        assert child.parent.span_id == root.context.span_id
        assert child.context.trace_id == root.context.trace_id
    assert spans["attempt openai-west"].kind is SpanKind.CLIENT
    assert spans["attempt openai-west"].status.status_code is StatusCode.ERROR
    assert spans["attempt openai-west"].attributes["error.type"] == "status_503"
    assert spans["attempt openai-east"].status.status_code is StatusCode.UNSET
    assert spans["attempt openai-east"].attributes["ferrogate.attempt"] == 2
    assert spans["attempt openai-east"].attributes["gen_ai.system"] == "openai"


def test_attempts_reconstructed_from_timestamps_keep_their_times_and_order(tracing, exporter):
    trace = tracing.request_span("req_1", "POST", "/v1/chat/completions", request_headers())
    start = time.time_ns()
    trace.add_attempt("anthropic-1", "anthropic", start, start + 5_000_000, "timeout")
    trace.add_attempt("openai-east", "openai", start + 5_000_000, start + 9_000_000, None)
    trace.add_stage("cache", start - 2_000_000, start - 1_000_000)
    trace.finish(chat_record())

    spans = spans_by_name(exporter)
    root = spans["POST /v1/chat/completions"]
    failed, answered = spans["attempt anthropic-1"], spans["attempt openai-east"]
    assert (failed.start_time, failed.end_time) == (start, start + 5_000_000)
    assert (answered.start_time, answered.end_time) == (start + 5_000_000, start + 9_000_000)
    assert failed.attributes["ferrogate.attempt"] == 1
    assert answered.attributes["ferrogate.attempt"] == 2
    assert failed.status.status_code is StatusCode.ERROR
    assert failed.attributes["error.type"] == "timeout"
    assert answered.status.status_code is StatusCode.UNSET
    assert spans["cache"].end_time - spans["cache"].start_time == 1_000_000
    for child in (failed, answered, spans["cache"]):
        assert child.parent.span_id == root.context.span_id


def test_finish_describes_the_request_after_the_gen_ai_conventions(tracing, exporter):
    trace = tracing.request_span("req_1", "POST", "/v1/chat/completions", request_headers())
    trace.finish(chat_record(), finish_reasons=["stop"])

    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes) == {
        "http.request.method": "POST",
        "url.path": "/v1/chat/completions",
        "ferrogate.request_id": "req_1",
        "http.response.status_code": 200,
        "ferrogate.route": "chat",
        "ferrogate.outcome": "completed",
        "ferrogate.attempts": 2,
        "gen_ai.operation.name": "chat",
        "gen_ai.usage.input_tokens": 12,
        "gen_ai.usage.output_tokens": 34,
        "ferrogate.cost_usd": 0.0001,
        "ferrogate.stream": False,
        "gen_ai.request.model": "fast",
        "gen_ai.response.model": "gpt-4o-mini",
        "gen_ai.system": "openai",
        "gen_ai.provider.name": "openai",
        "gen_ai.response.finish_reasons": ("stop",),
        "ferrogate.deployment": "openai-east",
        "ferrogate.cache": "miss",
        "ferrogate.retries": 1,
    }
    assert span.status.status_code is StatusCode.UNSET
    assert span.resource.attributes["service.name"] == "ferrogate-test"


def test_no_prompt_text_key_or_key_id_reaches_any_span(tracing, exporter):
    trace = tracing.request_span("req_1", "POST", "/v1/chat/completions", request_headers())
    with pytest.raises(ValueError), trace.stage("parse"):
        raise ValueError(f"bad body: {PROMPT}")
    trace.finish(chat_record(status=400, outcome="failed", error_code="invalid_request"))

    for span in exporter.get_finished_spans():
        seen = repr(dict(span.attributes)) + repr(span.events) + repr(span.status.description)
        assert PROMPT not in seen
        assert "s3cr3t" not in seen
        assert "key123" not in seen


def test_an_incoming_traceparent_is_continued(tracing, exporter):
    traceparent = f"00-{INCOMING_TRACE_ID}-{INCOMING_SPAN_ID}-01"
    headers = request_headers(traceparent=traceparent)
    trace = tracing.request_span("req_1", "POST", "/v1/chat/completions", headers)
    with trace.stage("parse"):
        pass
    trace.finish(chat_record())

    spans = spans_by_name(exporter)
    root = spans["POST /v1/chat/completions"]
    assert root.context.trace_id == int(INCOMING_TRACE_ID, 16)
    assert root.parent.span_id == int(INCOMING_SPAN_ID, 16)
    assert root.parent.is_remote
    assert spans["parse"].context.trace_id == int(INCOMING_TRACE_ID, 16)


def test_a_caller_that_sampled_out_its_trace_gets_no_spans_exported(tracing, exporter):
    headers = request_headers(traceparent=f"00-{INCOMING_TRACE_ID}-{INCOMING_SPAN_ID}-00")
    trace = tracing.request_span("req_1", "POST", "/v1/chat/completions", headers)
    with trace.stage("parse"):
        pass
    with trace.attempt("openai-east", "openai", 1) as attempt:
        forwarded = traceparent_of(attempt)
    trace.finish(chat_record())

    assert not trace.recording
    assert exporter.get_finished_spans() == ()
    assert forwarded.startswith(f"00-{INCOMING_TRACE_ID}-")
    assert forwarded.endswith("-00")  # the upstream hears it is not sampled either


def test_sample_ratio_zero_keeps_only_traces_a_caller_sampled(exporter):
    tracing = Tracing.from_settings(None, exporter=exporter, sample_ratio=0.0)
    unsampled = tracing.request_span("req_1", "POST", "/v1/chat/completions", request_headers())
    with unsampled.stage("parse"):
        pass
    unsampled.finish(chat_record())
    headers = request_headers(traceparent=f"00-{INCOMING_TRACE_ID}-{INCOMING_SPAN_ID}-01")
    sampled = tracing.request_span("req_2", "POST", "/v1/chat/completions", headers)
    with sampled.stage("parse"):
        pass
    sampled.finish(chat_record(request_id="req_2"))
    tracing.shutdown()

    spans = exporter.get_finished_spans()
    assert sorted(span.name for span in spans) == ["POST /v1/chat/completions", "parse"]
    assert {span.context.trace_id for span in spans} == {int(INCOMING_TRACE_ID, 16)}


def test_traceparent_of_names_the_request_and_the_attempt(tracing, exporter):
    trace = tracing.request_span("req_1", "POST", "/v1/chat/completions", request_headers())
    with trace.attempt("openai-east", "openai", 1) as attempt:
        attempt_parent = traceparent_of(attempt)
    request_parent = traceparent_of(trace)
    trace.finish(chat_record())

    spans = spans_by_name(exporter)
    root, sent = spans["POST /v1/chat/completions"], spans["attempt openai-east"]
    assert request_parent == traceparent_header(root.context)
    assert attempt_parent == traceparent_header(sent.context)
    assert int(request_parent[-2:], 16) & 0x01  # sampled


@pytest.mark.parametrize(
    ("status", "outcome", "error_code", "expected"),
    [
        (200, "completed", None, StatusCode.UNSET),
        (429, "failed", "rate_limit_exceeded", StatusCode.UNSET),  # the client's doing
        (502, "failed", "upstream_error", StatusCode.ERROR),
        (200, "failed", "upstream_error", StatusCode.ERROR),  # a stream broke after 200
        (200, "timed_out", "stream_idle_timeout", StatusCode.ERROR),
        (200, "cancelled", None, StatusCode.UNSET),  # the client left
    ],
)
def test_span_status_is_error_only_for_the_gateways_failures(
    tracing, exporter, status, outcome, error_code, expected
):
    trace = tracing.request_span(
        "req_1", "POST", "/v1/chat/completions", request_headers(stream="1")
    )
    trace.finish(chat_record(status=status, outcome=outcome, error_code=error_code))

    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is expected
    assert span.attributes.get("error.type") == error_code


def test_a_stage_that_raises_is_an_error_span_and_the_error_goes_on(tracing, exporter):
    trace = tracing.request_span("req_1", "POST", "/v1/chat/completions", request_headers())
    with pytest.raises(KeyError), trace.stage("auth"):
        raise KeyError("whatever")
    trace.finish(chat_record(status=500, outcome="failed", error_code="internal_error"))

    auth = spans_by_name(exporter)["auth"]
    assert auth.status.status_code is StatusCode.ERROR
    assert auth.attributes["error.type"] == "KeyError"


def test_span_names_stay_bounded_for_admin_and_unknown_paths(tracing, exporter):
    admin = tracing.request_span("req_1", "DELETE", "/admin/keys/key123", request_headers())
    admin.finish(RequestRecord("req_1", "admin", time.time(), status=200))
    stray = tracing.request_span("req_2", "GET", "/wp-login.php", request_headers())
    stray.finish(RequestRecord("req_2", "other", time.time(), status=404))

    names = sorted(span.name for span in exporter.get_finished_spans())
    assert names == ["DELETE /admin", "GET"]


def test_tracing_off_records_nothing_and_starts_nothing():
    threads_before = set(threading.enumerate())
    tracing = Tracing.from_settings(None)
    trace = tracing.request_span("req_1", "POST", "/v1/chat/completions", request_headers())
    with trace.stage("parse"):
        pass
    with trace.attempt("openai-east", "openai", 1) as attempt:
        attempt.failed("timeout")
    trace.add_attempt("openai-east", "openai", 1, 2, None)
    trace.add_stage("cache", 1, 2)
    trace.finish(chat_record())
    tracing.shutdown()

    assert not tracing.enabled
    assert not trace.recording
    assert traceparent_of(trace) is None
    assert traceparent_of(attempt) is None
    assert set(threading.enumerate()) <= threads_before
    # Every request shares one do-nothing trace: nothing is allocated per request.
    assert tracing.request_span("req_2", "GET", "/v1/models", {}) is trace
