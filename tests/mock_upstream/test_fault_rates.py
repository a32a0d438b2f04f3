"""Status faults and resets at a configured rate, in each provider's own error format."""

import http.client

import pytest

from .wire import CHAT, call, chat, set_faults, stats

REQUESTS = 400
TOLERANCE = 0.07  # about three standard deviations of a 30% share of 400 draws


def _outcomes(base_url: str, count: int) -> list[int | str]:
    """Each request's status, or "reset" when the connection died unanswered."""
    outcomes: list[int | str] = []
    for _ in range(count):
        try:
            outcomes.append(chat(base_url).status)
        except (ConnectionError, http.client.RemoteDisconnected):
            outcomes.append("reset")
    return outcomes


def test_statuses_and_resets_come_at_their_rates(fault_mock):
    set_faults(fault_mock, fault_rate=0.3, fault_status=503, reset_rate=0.1)

    outcomes = _outcomes(fault_mock, REQUESTS)

    assert set(outcomes) == {200, 503, "reset"}
    assert outcomes.count(503) / REQUESTS == pytest.approx(0.3, abs=TOLERANCE)
    assert outcomes.count("reset") / REQUESTS == pytest.approx(0.1, abs=TOLERANCE)
    counts = stats(fault_mock)
    assert counts["requests"] == REQUESTS
    assert counts["faults"]["status"] == outcomes.count(503)
    assert counts["faults"]["reset"] == outcomes.count("reset")


def test_the_same_seed_repeats_the_same_faults(fault_mock):
    set_faults(fault_mock, fault_rate=0.5, seed=1234)
    first = _outcomes(fault_mock, 40)
    set_faults(fault_mock, seed=1234)
    second = _outcomes(fault_mock, 40)

    assert first == second
    assert set(first) == {200, 503}


def _error_fields(provider: str, body: dict) -> tuple:
    if provider == "anthropic":
        return body["type"], body["error"]["type"]
    if provider == "gemini":
        return body["error"]["code"], body["error"]["status"]
    return body["error"]["type"], body["error"]["code"]


@pytest.mark.parametrize(
    ("provider", "fields"),
    [
        ("openai", ("server_error", "overloaded")),
        ("azure", ("server_error", "overloaded")),
        ("anthropic", ("error", "overloaded_error")),
        ("gemini", (503, "UNAVAILABLE")),
    ],
)
def test_a_fault_status_is_answered_in_the_providers_format(fault_mock, provider, fields):
    set_faults(fault_mock, fault_rate=1, fault_status=503, fault_retry_after=2)

    answer = chat(fault_mock, provider)

    assert answer.status == 503
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["retry-after"] == "2"
    assert _error_fields(provider, answer.json()) == fields


@pytest.mark.parametrize("status", [429, 500, 502, 504])
def test_any_error_status_keeps_its_number_in_every_format(fault_mock, status):
    set_faults(fault_mock, fault_rate=1, fault_status=status)

    for provider in CHAT:
        answer = chat(fault_mock, provider)
        assert answer.status == status, provider
        assert "error" in answer.json(), provider


def test_a_reset_is_a_connection_error_for_the_openai_sdk(fault_mock, make_client):
    import openai

    set_faults(fault_mock, reset_rate=1)

    with pytest.raises(openai.APIConnectionError):
        make_client(fault_mock).chat.completions.create(model="m", messages=[])


def test_the_model_list_and_control_routes_are_never_faulted(fault_mock):
    set_faults(fault_mock, fault_rate=0.5, reset_rate=0.5)

    assert all(call(fault_mock, "GET", "/v1/models").status == 200 for _ in range(20))
    assert stats(fault_mock)["requests"] == 0
