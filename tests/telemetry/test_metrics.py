"""GatewayMetrics: the values /metrics shows after known requests, in one process."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from ferrogate.telemetry import RequestRecord
from ferrogate.telemetry.metrics import GatewayMetrics
from ferrogate.telemetry.metrics_labels import MAX_UNLISTED_MODELS

MODELS = {"gpt-4o-mini", "claude-haiku"}


def chat(**fields) -> RequestRecord:
    values = {
        "model": "gpt-4o-mini",
        "provider": "openai",
        "status": 200,
        "cache": "miss",
        "duration_s": 0.4,
        "overhead_s": 8e-5,
    }
    return RequestRecord("req", "chat", 0.0, **(values | fields))


@pytest.fixture
def metrics() -> GatewayMetrics:
    return GatewayMetrics(CollectorRegistry(), known_models=MODELS)


def value(metrics: GatewayMetrics, name: str, **labels: str) -> float | None:
    metrics.flush()
    return metrics.registry.get_sample_value(name, labels)


def test_requests_are_counted_by_route_model_provider_status_and_cache(metrics):
    metrics.observe(chat())
    metrics.observe(chat())
    metrics.observe(chat(model="claude-haiku", provider="anthropic", status=429, cache=None))

    labels = {"route": "chat", "model": "gpt-4o-mini", "provider": "openai"}
    assert value(metrics, "ferrogate_requests_total", **labels, status="200", cache="miss") == 2
    assert (
        value(
            metrics,
            "ferrogate_requests_total",
            route="chat",
            model="claude-haiku",
            provider="anthropic",
            status="429",
            cache="none",
        )
        == 1
    )


def test_duration_and_overhead_histograms_count_and_sum(metrics):
    for duration, overhead in [(0.3, 5e-5), (1.5, 9e-5), (70.0, 2e-3)]:
        metrics.observe(chat(duration_s=duration, overhead_s=overhead))

    name = "ferrogate_request_duration_seconds"
    labels = {"route": "chat", "model": "gpt-4o-mini"}
    assert value(metrics, f"{name}_count", **labels) == 3
    assert value(metrics, f"{name}_sum", **labels) == pytest.approx(71.8)
    assert value(metrics, f"{name}_bucket", **labels, le="0.5") == 1
    assert value(metrics, f"{name}_bucket", **labels, le="2.5") == 2
    assert value(metrics, f"{name}_bucket", **labels, le="60.0") == 2
    assert value(metrics, f"{name}_bucket", **labels, le="120.0") == 3

    name = "ferrogate_overhead_seconds"
    assert value(metrics, f"{name}_count", route="chat") == 3
    assert value(metrics, f"{name}_sum", route="chat") == pytest.approx(2.14e-3)
    assert value(metrics, f"{name}_bucket", route="chat", le="5e-05") == 1
    assert value(metrics, f"{name}_bucket", route="chat", le="0.0001") == 2


def test_each_stage_has_its_own_series_and_unknown_stages_share_other(metrics):
    stages = {"parse": 2e-5, "auth": 3e-5, "provider": 0.25, "telepathy": 1.0}
    metrics.observe(chat(stages_s=stages))
    metrics.observe(chat(stages_s={"parse": 4e-5}))

    name = "ferrogate_stage_seconds"
    assert value(metrics, f"{name}_count", stage="parse") == 2
    assert value(metrics, f"{name}_sum", stage="parse") == pytest.approx(6e-5)
    assert value(metrics, f"{name}_bucket", stage="parse", le="2.5e-05") == 1
    assert value(metrics, f"{name}_sum", stage="auth") == pytest.approx(3e-5)
    assert value(metrics, f"{name}_sum", stage="provider") == pytest.approx(0.25)
    assert value(metrics, f"{name}_count", stage="other") == 1
    assert value(metrics, f"{name}_count", stage="telepathy") is None


def test_tokens_and_cost_add_up_per_model(metrics):
    metrics.observe(chat(prompt_tokens=10, completion_tokens=30, cost_usd=0.002))
    metrics.observe(chat(prompt_tokens=5, completion_tokens=7, cost_usd=0.0005))
    metrics.observe(chat(model="claude-haiku", prompt_tokens=1, completion_tokens=2, cost_usd=0.1))

    tokens = "ferrogate_tokens_total"
    assert value(metrics, tokens, model="gpt-4o-mini", direction="prompt") == 15
    assert value(metrics, tokens, model="gpt-4o-mini", direction="completion") == 37
    assert value(metrics, tokens, model="claude-haiku", direction="completion") == 2
    assert value(metrics, "ferrogate_cost_usd_total", model="gpt-4o-mini") == pytest.approx(0.0025)
    assert value(metrics, "ferrogate_cost_usd_total", model="claude-haiku") == pytest.approx(0.1)


def test_streams_record_first_token_gaps_and_outcome(metrics):
    gaps = [0.004, 0.009, 0.009, 0.03, 0.7]
    metrics.observe(chat(stream=True, ttft_s=0.35, inter_token_s=gaps))
    metrics.observe(chat(stream=True, ttft_s=None, outcome="cancelled", status=0))
    metrics.observe(chat(stream=True, ttft_s=0.2, outcome="timed_out", inter_token_s=[3.0]))
    metrics.observe(chat(stream=False, ttft_s=None))

    ttft = "ferrogate_time_to_first_token_seconds"
    assert value(metrics, f"{ttft}_count", model="gpt-4o-mini") == 2
    assert value(metrics, f"{ttft}_sum", model="gpt-4o-mini") == pytest.approx(0.55)

    gap = "ferrogate_inter_token_seconds"
    assert value(metrics, f"{gap}_count", model="gpt-4o-mini") == 6
    assert value(metrics, f"{gap}_sum", model="gpt-4o-mini") == pytest.approx(sum(gaps) + 3.0)
    assert value(metrics, f"{gap}_bucket", model="gpt-4o-mini", le="0.005") == 1
    assert value(metrics, f"{gap}_bucket", model="gpt-4o-mini", le="0.01") == 3
    assert value(metrics, f"{gap}_bucket", model="gpt-4o-mini", le="0.04") == 4
    assert value(metrics, f"{gap}_bucket", model="gpt-4o-mini", le="1.0") == 5
    assert value(metrics, f"{gap}_bucket", model="gpt-4o-mini", le="2.5") == 5
    assert value(metrics, f"{gap}_bucket", model="gpt-4o-mini", le="+Inf") == 6

    outcomes = "ferrogate_stream_outcomes_total"
    assert value(metrics, outcomes, outcome="completed") == 1
    assert value(metrics, outcomes, outcome="cancelled") == 1
    assert value(metrics, outcomes, outcome="timed_out") == 1
    assert value(metrics, "ferrogate_requests_total", **_chat_labels(status="none")) == 1


def test_cache_lookups_count_hits_by_tier_and_misses_but_not_bypasses(metrics):
    for cache in ["miss", "miss", "hit-exact", "hit-l1", "hit-l2", "bypass", None]:
        metrics.observe(chat(cache=cache))
    metrics.observe(chat(cache="hit-l2", cache_similarity=0.97))
    metrics.observe(chat(cache="miss", cache_similarity=0.6))

    lookups = "ferrogate_cache_lookups_total"
    assert value(metrics, lookups, result="miss") == 3
    assert value(metrics, lookups, result="hit-exact") == 1
    assert value(metrics, lookups, result="hit-l1") == 1
    assert value(metrics, lookups, result="hit-l2") == 2
    assert value(metrics, lookups, result="bypass") is None
    assert value(metrics, lookups, result="none") is None

    similarity = "ferrogate_cache_similarity"
    assert value(metrics, f"{similarity}_count") == 2
    assert value(metrics, f"{similarity}_sum") == pytest.approx(1.57)
    assert value(metrics, f"{similarity}_bucket", le="0.6") == 1
    assert value(metrics, f"{similarity}_bucket", le="0.95") == 1
    assert value(metrics, f"{similarity}_bucket", le="0.975") == 2


def test_refusals_are_counted_by_kind(metrics):
    for kind in ["requests", "requests", "tokens", "budget", "made-up"]:
        metrics.observe(chat(status=429, rate_limited=kind, provider=None))

    name = "ferrogate_rate_limited_total"
    assert value(metrics, name, kind="requests") == 2
    assert value(metrics, name, kind="tokens") == 1
    assert value(metrics, name, kind="budget") == 1
    assert value(metrics, name, kind="other") == 1
    assert value(metrics, "ferrogate_upstream_errors_total", provider="none", code="other") is None


def test_only_upstream_failures_count_as_upstream_errors(metrics):
    metrics.observe(chat(status=504, outcome="failed", error_code="upstream_timeout"))
    metrics.observe(chat(status=500, outcome="failed", error_code="upstream_error"))
    metrics.observe(chat(provider="anthropic", status=500, error_code="upstream_error"))
    # Relayed from an upstream's own error event: the code is the upstream's, unbounded.
    metrics.observe(chat(status=502, outcome="failed", error_code="overloaded_error"))
    # After the first byte the status stays 200; the error event names the failure.
    metrics.observe(chat(stream=True, outcome="failed", error_code="stream_interrupted"))
    metrics.observe(chat(stream=True, outcome="timed_out", error_code="idle_gateway_code"))
    # The gateway's own refusals are not the upstream's doing.
    metrics.observe(chat(status=401, outcome="failed", error_code="invalid_api_key", provider=None))
    metrics.observe(chat(status=400, outcome="failed", error_code="invalid_value"))

    name = "ferrogate_upstream_errors_total"
    assert value(metrics, name, provider="openai", code="upstream_timeout") == 1
    assert value(metrics, name, provider="openai", code="upstream_error") == 1
    assert value(metrics, name, provider="anthropic", code="upstream_error") == 1
    assert value(metrics, name, provider="openai", code="stream_interrupted") == 1
    assert value(metrics, name, provider="openai", code="other") == 2
    assert _sum_of(metrics, name) == 6


def test_retries_fallbacks_and_hedges_add_up(metrics):
    metrics.observe(chat(retries=2, fallbacks=1, hedged=True))
    metrics.observe(chat(retries=1))
    metrics.observe(chat(hedged=True))
    metrics.observe(chat())

    assert value(metrics, "ferrogate_retries_total") == 3
    assert value(metrics, "ferrogate_fallbacks_total") == 1
    assert value(metrics, "ferrogate_hedges_total") == 2


def test_unconfigured_models_and_unknown_routes_are_labelled_other(metrics):
    metrics.observe(chat(model="some-client-invention"))
    metrics.observe(RequestRecord("req", "teapot", 0.0, status=404))

    requests = "ferrogate_requests_total"
    assert value(metrics, requests, **_chat_labels(model="other")) == 1
    labels = {"route": "other", "model": "none", "provider": "none", "cache": "none"}
    assert value(metrics, requests, **labels, status="404") == 1
    assert _label_values(metrics, "model") <= MODELS | {"other", "none"}


def test_without_a_model_list_a_process_keeps_a_bounded_number_of_model_labels():
    metrics = GatewayMetrics(CollectorRegistry())
    for index in range(MAX_UNLISTED_MODELS + 20):
        metrics.observe(chat(model=f"model-{index}"))
    metrics.observe(chat(model="model-0"))

    requests = "ferrogate_requests_total"
    assert value(metrics, requests, **_chat_labels(model="model-0")) == 2
    assert value(metrics, requests, **_chat_labels(model="other")) == 20
    assert len(_label_values(metrics, "model")) == MAX_UNLISTED_MODELS + 1


def test_render_gives_the_text_format_with_the_counts(metrics):
    metrics.observe(chat(prompt_tokens=3))

    body, content_type = metrics.render()

    assert content_type.startswith("text/plain")
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }
    tokens = (("direction", "prompt"), ("model", "gpt-4o-mini"))
    assert samples[("ferrogate_tokens_total", tokens)] == 3


def test_render_speaks_openmetrics_when_asked(metrics):
    metrics.observe(chat())

    body, content_type = metrics.render(accept="application/openmetrics-text; version=1.0.0")

    assert content_type.startswith("application/openmetrics-text")
    assert body.rstrip().endswith(b"# EOF")


def test_metric_sets_on_their_own_registries_do_not_clash():
    first, second = GatewayMetrics(), GatewayMetrics()
    first.observe(chat())
    first.flush()

    assert first.registry.get_sample_value("ferrogate_hedges_total") == 0
    assert second.registry.get_sample_value("ferrogate_requests_total", _chat_labels()) is None


def test_a_multiprocess_dir_set_after_import_is_refused(monkeypatch, tmp_path):
    # This process imported prometheus_client without the variable: its values stay in
    # memory, so a worker like it would be missing from /metrics without a word.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    with pytest.raises(RuntimeError, match="PROMETHEUS_MULTIPROC_DIR"):
        GatewayMetrics(CollectorRegistry())


def _chat_labels(**labels: str) -> dict[str, str]:
    defaults = {
        "route": "chat",
        "model": "gpt-4o-mini",
        "provider": "openai",
        "status": "200",
        "cache": "miss",
    }
    return defaults | labels


def _sum_of(metrics: GatewayMetrics, name: str) -> float:
    metrics.flush()
    return sum(
        sample.value
        for family in metrics.registry.collect()
        for sample in family.samples
        if sample.name == name
    )


def _label_values(metrics: GatewayMetrics, label: str) -> set[str]:
    metrics.flush()
    return {
        sample.labels[label]
        for family in metrics.registry.collect()
        for sample in family.samples
        if label in sample.labels
    }
