"""The figures /admin/stats computes from known requests: each one checked by value."""

from __future__ import annotations

import pytest

from ferrogate.stats import summarize
from ferrogate.stats.window import SLOT_S, WINDOW_S, Window
from ferrogate.telemetry.metrics_labels import ModelLabels
from ferrogate.telemetry.record import RequestRecord

NOW = 1_800_000_005.0  # 5 s into a slot
CURRENT = 1_800_000_000


def record(**fields) -> RequestRecord:
    values = {"route": "chat", "status": 200, "duration_s": 0.1, "overhead_s": 0.0001}
    values.update(fields)
    ended_at = values.pop("ended_at", NOW - 1)
    made = RequestRecord("req", values.pop("route"), ended_at - values["duration_s"])
    for name, value in values.items():
        setattr(made, name, value)
    return made


def figures(records: list[RequestRecord], known=("gpt", "claude")) -> dict:
    window = Window(clock=lambda: NOW)
    window.count(records, ModelLabels(known))
    return summarize({"worker": window.slots}, NOW)


def test_requests_errors_and_client_errors_are_told_apart():
    stats = figures(
        [
            record(),
            record(status=502),
            record(status=200, stream=True, outcome="failed"),  # an error event mid-stream
            record(status=200, stream=True, outcome="timed_out"),
            record(status=200, stream=True, outcome="cancelled"),  # the client left: no error
            record(status=429, rate_limited="requests"),
            record(status=401),
        ]
    )
    totals = stats["totals"]
    assert (totals["requests"], totals["errors"], totals["client_errors"]) == (7, 3, 2)
    assert totals["error_rate"] == pytest.approx(3 / 7, abs=1e-4)
    assert stats["streams"] == {"cancelled": 1, "failed": 1, "timed_out": 1}
    assert stats["rate_limited"] == {"requests": 1, "tokens": 0, "budget": 0}


def test_the_dashboards_own_polling_and_scrapes_are_not_traffic():
    stats = figures([record(route="admin"), record(route="other"), record(route="embeddings")])
    assert stats["totals"]["requests"] == 1


def test_series_put_each_request_in_the_slot_it_ended_in_with_its_rate():
    stats = figures(
        [record(ended_at=NOW - 1)] * 3  # the current slot, 5 s old
        + [record(ended_at=CURRENT - 5)] * 20  # the slot before
        + [record(ended_at=CURRENT - WINDOW_S - 1)] * 7  # left the window
    )
    series = stats["series"]
    assert len(series["start"]) == WINDOW_S // SLOT_S
    assert series["start"][-1] == CURRENT
    assert series["requests"][-2:] == [20, 3]
    assert series["rps"][-2:] == [2.0, 0.6]  # 20 in 10 s; 3 in the 5 s gone by
    assert stats["totals"]["requests"] == 23
    assert stats["totals"]["last_minute"]["requests"] == 23


def test_latency_percentiles_come_from_every_request_in_the_window():
    fast = [record(duration_s=0.010, overhead_s=0.00005)] * 98
    slow = [record(duration_s=2.0, overhead_s=0.002, stream=True, ttft_s=0.5)] * 2
    latency = figures(fast + slow)["latency_ms"]

    assert latency["end_to_end"]["count"] == 100
    assert latency["end_to_end"]["p50"] == pytest.approx(10, rel=0.05)
    assert latency["end_to_end"]["p99"] == pytest.approx(2000, rel=0.05)
    assert latency["overhead"]["p50"] == pytest.approx(0.05, rel=0.05)
    assert latency["time_to_first_token"] == {
        "count": 2,
        "p50": pytest.approx(500, rel=0.05),
        "p90": pytest.approx(500, rel=0.05),
        "p99": pytest.approx(500, rel=0.05),
    }


def test_cache_hit_rates_by_tier_leave_bypassed_requests_out():
    stats = figures(
        [record(cache="miss")] * 4
        + [record(cache="hit-exact")] * 3
        + [record(cache="hit-l1", cache_similarity=0.93)] * 2
        + [record(cache="hit-l2", cache_similarity=0.97)]
        + [record(cache="miss", cache_similarity=0.41)]  # a near miss below the floor
        + [record(cache="bypass")] * 5
    )
    cache = stats["cache"]
    assert (cache["lookups"], cache["misses"], cache["bypassed"]) == (11, 5, 5)
    assert cache["hits"] == {"hit-exact": 3, "hit-l1": 2, "hit-l2": 1}
    assert cache["hit_rate"] == pytest.approx(6 / 11, abs=1e-4)
    assert cache["hit_rate_by_tier"]["hit-l1"] == pytest.approx(2 / 11, abs=1e-4)
    counts = cache["similarity"]["counts"]
    assert sum(counts) == 4
    assert counts[0] == 1  # 0.41, below 0.5, in the first bin
    assert counts[int((0.93 - 0.5) / 0.02)] == 2
    assert counts[int((0.97 - 0.5) / 0.02)] == 1


def test_tokens_and_cost_per_model_and_per_key_with_unknown_models_as_other():
    stats = figures(
        [
            record(model="gpt", key_id="k1", prompt_tokens=10, completion_tokens=5, cost_usd=0.5),
            record(model="gpt", key_id="k2", prompt_tokens=1, completion_tokens=2, cost_usd=0.25),
            record(model="claude", key_id="k1", prompt_tokens=7, cost_usd=1.0),
            record(model="no-such-model-from-a-client", status=404),
        ]
    )
    columns = ("model", "requests", "prompt_tokens", "completion_tokens", "cost_usd")
    assert [tuple(row[name] for name in columns) for row in stats["models"]] == [
        ("claude", 1, 7, 0, 1.0),
        ("gpt", 2, 11, 7, 0.75),
        ("other", 1, 0, 0, 0.0),
    ]
    assert [(row["id"], row["requests"], row["cost_usd"]) for row in stats["keys"]] == [
        ("k1", 2, 1.5),
        ("k2", 1, 0.25),
    ]


def test_deployments_count_every_attempt_and_its_failures():
    retried = record(
        retries=1,
        fallbacks=1,
        attempt_log=[
            ("gpt#0", "openai", 10.0, 10.2, "upstream_error"),
            ("gpt#1", "openai", 10.2, 10.25, None),
        ],
    )
    hedged = record(hedged=True, attempt_log=[("gpt#1", "openai", 11.0, 11.05, None)])
    stats = figures([retried, hedged])

    assert stats["routing"] == {"retries": 1, "fallbacks": 1, "hedges": 1}
    first, second = stats["deployments"]
    assert (first["id"], first["attempts"], first["failed"], first["error_rate"]) == (
        "gpt#0",
        1,
        1,
        1.0,
    )
    assert (second["id"], second["attempts"], second["failed"]) == ("gpt#1", 2, 0)
    assert second["attempt_p50_ms"] == pytest.approx(50, rel=0.05)


def test_slots_that_leave_the_window_are_dropped_and_reported_gone():
    now = [NOW]
    window = Window(clock=lambda: now[0])
    window.count([record(ended_at=NOW - 1)], ModelLabels(None))
    assert window.expire() == []
    now[0] += WINDOW_S
    assert window.expire() == [CURRENT]
    assert window.slots == {}
