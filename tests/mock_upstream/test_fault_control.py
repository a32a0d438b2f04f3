"""`/_faults` changes a running mock's faults; `/_stats` counts what it saw."""

import pytest

from .wire import call, chat, set_faults, stats


def test_a_deployment_fails_and_recovers_without_a_restart(fault_mock):
    assert chat(fault_mock).status == 200
    set_faults(fault_mock, fault_rate=1, fault_status=500)
    assert [chat(fault_mock).status for _ in range(3)] == [500, 500, 500]

    assert call(fault_mock, "DELETE", "/_faults").status == 200

    assert chat(fault_mock).status == 200
    counts = stats(fault_mock)
    assert counts["requests"] == 5
    assert counts["faults"]["status"] == 3


def test_post_merges_fields_and_get_shows_them(fault_mock):
    set_faults(fault_mock, latency_ms=5)
    set_faults(fault_mock, fault_rate=0.25)

    current = call(fault_mock, "GET", "/_faults").json()

    assert current["latency_ms"] == 5
    assert current["fault_rate"] == 0.25
    assert current["seed"] == 11  # the process's --seed


def test_delete_restores_the_faults_the_process_started_with(run_cut_mock):
    set_faults(run_cut_mock, cut_after=None, fault_rate=1)
    assert chat(run_cut_mock).status == 503

    restored = call(run_cut_mock, "DELETE", "/_faults").json()

    assert restored["cut_after"] == 2
    assert restored["fault_rate"] == 0
    assert chat(run_cut_mock, stream=True).error is not None


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"fault_rate": 1.5}, "fault_rate"),
        ({"fault_rate": 0.6, "reset_rate": 0.6}, "exceed"),
        ({"fault_status": 200}, "fault_status"),
        ({"cut_after": 2.5}, "cut_after"),
        ({"latency_ms": "slow"}, "latency_ms"),
        ({"latency": 5}, "unknown fields: latency"),
        ([1, 2], "JSON object"),
    ],
)
def test_invalid_faults_are_refused_and_change_nothing(fault_mock, body, complaint):
    before = call(fault_mock, "GET", "/_faults").json()

    answer = call(fault_mock, "POST", "/_faults", body)

    assert answer.status == 400
    assert complaint in answer.json()["error"]
    assert call(fault_mock, "GET", "/_faults").json() == before


def test_stats_count_streams_and_reset_to_zero(fault_mock):
    chat(fault_mock, stream=True)
    chat(fault_mock, stream=False)
    chat(fault_mock, "anthropic", stream=True)

    counts = stats(fault_mock)
    assert counts["requests"] == 3
    assert counts["streams_started"] == counts["streams_completed"] == 2
    assert counts["streams_cancelled"] == counts["cancelled_by_client"] == 0

    assert call(fault_mock, "DELETE", "/_stats").status == 200
    assert stats(fault_mock)["requests"] == 0


def test_other_methods_on_control_routes_are_refused(fault_mock):
    assert call(fault_mock, "PUT", "/_faults", {}).status == 405
    assert call(fault_mock, "POST", "/_stats", {}).status == 405
