"""Traces leave the gateway over OTLP/HTTP in the real wire format, read by a collector stub."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from ferrogate.telemetry import RequestRecord
from ferrogate.telemetry.tracing import Tracing


class CollectorStub(ThreadingHTTPServer):
    """Accepts POST /v1/traces like an OpenTelemetry collector and keeps what it got."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CollectorHandler)
        self.received: list[tuple[str, str, bytes]] = []  # (path, content type, body)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def exported_spans(self) -> list:
        spans = []
        for path, _, body in self.received:
            assert path == "/v1/traces"
            request = ExportTraceServiceRequest.FromString(body)
            for resource_spans in request.resource_spans:
                for scope_spans in resource_spans.scope_spans:
                    spans.extend((resource_spans.resource, span) for span in scope_spans.spans)
        return spans


class _CollectorHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        self.server.received.append((self.path, self.headers["content-type"], body))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[CollectorStub]:
    server = CollectorStub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def one_traced_request(tracing: Tracing) -> None:
    trace = tracing.request_span("req_1", "POST", "/v1/chat/completions", {})
    with trace.stage("parse"):
        pass
    with trace.attempt("openai-east", "openai", 1):
        pass
    trace.finish(
        RequestRecord(
            "req_1",
            "chat",
            time.time(),
            model="fast",
            provider="openai",
            upstream_model="gpt-4o-mini",
            status=200,
            prompt_tokens=7,
            completion_tokens=3,
        )
    )


@pytest.mark.parametrize("suffix", ["", "/", "/v1/traces"])
def test_spans_reach_an_otlp_http_collector_as_protobuf(collector, suffix):
    tracing = Tracing.from_settings(collector.url + suffix, service_name="ferrogate-wire")
    one_traced_request(tracing)
    tracing.shutdown()  # flushes the batch

    assert {content_type for _, content_type, _ in collector.received} == {"application/x-protobuf"}
    spans = {span.name: (resource, span) for resource, span in collector.exported_spans()}
    assert set(spans) == {"POST /v1/chat/completions", "parse", "attempt openai-east"}
    resource, root = spans["POST /v1/chat/completions"]
    service = {a.key: a.value.string_value for a in resource.attributes}["service.name"]
    assert service == "ferrogate-wire"
    attributes = {a.key: a.value for a in root.attributes}
    assert attributes["gen_ai.request.model"].string_value == "fast"
    assert attributes["gen_ai.usage.output_tokens"].int_value == 3
    for name in ("parse", "attempt openai-east"):
        child = spans[name][1]
        assert child.trace_id == root.trace_id
        assert child.parent_span_id == root.span_id
