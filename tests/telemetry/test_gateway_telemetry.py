"""Telemetry through real gateways: /metrics values after known traffic (two workers), the
usage log's lines for each kind of request, and a request's span tree."""

from __future__ import annotations

import asyncio
import json
import re
import time

import httpx
import orjson
import yaml
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ferrogate.config import parse_config
from ferrogate.gateway import Gateway, Request
from ferrogate.gateway.request_telemetry import RequestTelemetry
from ferrogate.telemetry.tracing import Tracing
from tests.support.leaving_client import leave_a_stream
from tests.support.processes import ferrogate_command, free_port, running

DEMO = {"provider": "demo", "model": "demo", "chunk_delay_ms": 0}
SLOW_DEMO = {"provider": "demo", "model": "demo", "chunk_delay_ms": 150}


def _serve(tmp_path, settings: dict, *extra: str):
    config = tmp_path / "config.yaml"
    models = [
        {"name": "demo", "deployments": [DEMO]},
        {"name": "slow-demo", "deployments": [SLOW_DEMO]},
    ]
    config.write_text(yaml.safe_dump({"models": models, **settings}))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = ferrogate_command("serve", "--port", str(port), "--config", str(config), *extra)
    return url, running(command, f"{url}/health", {"FERROGATE_MASTER_KEY": ""})


def _chat(url: str, content: str, model: str = "demo", **extra) -> httpx.Response:
    body = {"model": model, "messages": [{"role": "user", "content": content}], **extra}
    return httpx.post(f"{url}/v1/chat/completions", json=body, timeout=30)


def _value(metrics: str, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels`."""
    total = 0.0
    for line in metrics.splitlines():
        match = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if not match or match.group(1) != name:
            continue
        have = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(have.get(k) == v for k, v in labels.items()):
            total += float(match.group(3))
    return total


def test_metrics_count_known_traffic_across_two_workers(tmp_path):
    url, server = _serve(tmp_path, {}, "--workers", "2")
    with server:
        usage = [_chat(url, f"question {i}").json()["usage"] for i in range(6)]
        body = {"model": "demo", "messages": [{"role": "user", "content": "s"}], "stream": True}
        with httpx.stream("POST", f"{url}/v1/chat/completions", json=body) as streamed:
            streamed.read()
        assert _chat(url, "x", model="nope").status_code == 404
        # Each worker flushes its buffered metrics once a second: poll until both have.
        deadline = time.monotonic() + 10
        while True:
            metrics = httpx.get(f"{url}/metrics").text
            done = _value(metrics, "ferrogate_requests_total", route="chat") == 8
            if done or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    chat = {"route": "chat", "model": "demo", "status": "200"}
    assert _value(metrics, "ferrogate_requests_total", **chat) == 7
    assert _value(metrics, "ferrogate_requests_total", route="chat", status="404") == 1
    prompt = sum(u["prompt_tokens"] for u in usage)
    assert _value(metrics, "ferrogate_tokens_total", model="demo", direction="prompt") >= prompt
    assert _value(metrics, "ferrogate_request_duration_seconds_count", route="chat") == 8
    assert _value(metrics, "ferrogate_time_to_first_token_seconds_count", model="demo") == 1
    assert _value(metrics, "ferrogate_stream_outcomes_total", outcome="completed") == 1


def test_the_usage_log_has_a_line_for_each_kind_of_request(tmp_path):
    log = tmp_path / "usage.jsonl"
    settings = {
        "telemetry": {"usage_log": "file", "usage_log_path": str(log)},
        "cache": {"enabled": True},
    }
    url, server = _serve(tmp_path, settings)
    with server:
        plain = _chat(url, "what is the tallest mountain?")
        time.sleep(1.0)  # the cache fill runs after the answer
        cached = _chat(url, "what is the tallest mountain?")
        assert cached.headers["x-ferrogate-cache"] == "hit-exact"
        body = {"model": "demo", "messages": [{"role": "user", "content": "s"}], "stream": True}
        with httpx.stream("POST", f"{url}/v1/chat/completions", json=body) as streamed:
            streamed.read()
        failed = _chat(url, "x", model="nope")
        slow = {"model": "slow-demo", "messages": [{"role": "user", "content": "go"}]}
        leave_a_stream(url, {**slow, "stream": True}, after_events=2)
        time.sleep(1.0)
    lines = {}
    for line in log.read_text().splitlines():
        entry = json.loads(line)
        lines[entry["request_id"]] = entry
    by_id = lines[plain.headers["x-request-id"]]
    assert by_id["model"] == "demo" and by_id["provider"] == "demo" and by_id["status"] == 200
    assert by_id["outcome"] == "completed" and by_id["cache"] == "miss"
    assert by_id["prompt_tokens"] == plain.json()["usage"]["prompt_tokens"]
    assert by_id["attempts"] == 1 and by_id["duration_ms"] > 0 and "prompt_text" not in by_id
    hit = lines[cached.headers["x-request-id"]]
    assert hit["cache"] == "hit-exact" and hit["cost_usd"] == 0
    streams = [e for e in lines.values() if e["stream"]]
    assert {e["outcome"] for e in streams} == {"completed", "cancelled"}
    assert all(e["ttft_ms"] is not None for e in streams)
    missing = lines[failed.headers["x-request-id"]]
    assert missing["status"] == 404 and missing["outcome"] == "failed"
    assert missing["error_code"] == "model_not_found"


def test_a_request_span_has_its_stages_and_attempt_as_children():
    config = parse_config(
        "models: [{name: demo, deployments: [{provider: demo, model: demo}]}]", "c.yaml", {}
    )
    exporter = InMemorySpanExporter()
    tracing = Tracing.from_settings(None, exporter=exporter)
    gateway = Gateway.from_config(config, master_key="")
    gateway._telemetry = RequestTelemetry(tracing=tracing)  # the in-memory exporter
    body = orjson.dumps({"model": "demo", "messages": [{"role": "user", "content": "hi"}]})
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    headers = {"content-type": "application/json", "traceparent": traceparent}
    answer = asyncio.run(gateway.handle(Request("POST", "/v1/chat/completions", headers, body)))
    assert answer.status == 200
    spans = {span.name: span for span in exporter.get_finished_spans()}
    root = spans["POST /v1/chat/completions"]
    assert format(root.context.trace_id, "032x") == "0af7651916cd43dd8448eb211c80319c"
    assert root.attributes["gen_ai.request.model"] == "demo"
    assert root.attributes["gen_ai.usage.input_tokens"] > 0
    children = [s for s in spans.values() if s.parent and s.parent.span_id == root.context.span_id]
    assert {"parse", "attempt"} <= {s.name.split(" ")[0] for s in children}
