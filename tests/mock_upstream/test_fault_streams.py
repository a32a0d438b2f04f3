"""Stream faults: cut after N events with no final event, slow first token, added latency."""

import http.client
import json
import time
from urllib.parse import urlsplit

import pytest

from .wire import AUTH, CHAT, chat, set_faults, sse_data, stats, wait_for_stats
from .wire import call as call_once

# The event that ends a complete stream, per wire format.
FINAL = {
    "openai": lambda data: data[-1] == "[DONE]",
    "anthropic": lambda data: '"message_stop"' in data[-1],
    "gemini": lambda data: '"finishReason"' in data[-1],
}


@pytest.mark.parametrize("provider", FINAL)
def test_a_cut_stream_drops_after_n_events_without_its_final_event(fault_mock, provider):
    complete = sse_data(chat(fault_mock, provider, stream=True).body)
    set_faults(fault_mock, cut_after=3)

    cut = chat(fault_mock, provider, stream=True)

    assert FINAL[provider](complete)
    assert cut.status == 200
    assert cut.error is not None  # the connection died mid-body
    received = sse_data(cut.body)
    assert len(received) == 3 < len(complete)
    assert all(json.loads(data) for data in received)  # whole events, then nothing
    assert stats(fault_mock)["faults"]["cut"] == 1


def test_a_cut_never_sends_the_final_event_even_past_the_stream_length(fault_mock):
    set_faults(fault_mock, cut_after=1000)

    cut = chat(fault_mock, stream=True)

    assert cut.error is not None
    assert sse_data(cut.body)
    assert "[DONE]" not in sse_data(cut.body)


def test_a_cut_stream_from_the_command_line_in_one_write(run_cut_mock):
    cut = chat(run_cut_mock, stream=True)

    assert cut.error is not None
    assert len(sse_data(cut.body)) == 2
    assert "[DONE]" not in cut.body.decode()


def test_latency_and_jitter_delay_every_answer_by_at_least_the_floor(fault_mock):
    set_faults(fault_mock, latency_ms=60, jitter_ms=30)

    for stream in (False, True, False):
        started = time.monotonic()
        answer = chat(fault_mock, stream=stream)
        assert answer.status == 200
        assert time.monotonic() - started >= 0.06
    assert stats(fault_mock)["faults"]["latency"] == 3


def test_a_slow_first_token_delays_the_first_event(fault_mock):
    set_faults(fault_mock, first_token_ms=250)

    answer = chat(fault_mock, stream=True)

    assert answer.first_byte_s >= 0.25
    assert sse_data(answer.body)[-1] == "[DONE]"
    counts = stats(fault_mock)
    assert counts["faults"]["slow_first_token"] == 1
    assert counts["streams_completed"] == 1


def test_the_first_token_rate_slows_only_that_share_of_streams(fault_mock):
    set_faults(fault_mock, first_token_ms=1, first_token_rate=0.25)

    for _ in range(100):
        chat(fault_mock, stream=True)

    slowed = stats(fault_mock)["faults"]["slow_first_token"]
    assert slowed / 100 == pytest.approx(0.25, abs=0.13)  # three standard deviations


def test_scenario_triggers_still_work_under_faults(fault_mock):
    set_faults(fault_mock, latency_ms=1, cut_after=2)
    path, body = CHAT["openai"]
    body = {**body, "messages": [{"role": "user", "content": "[error:429]"}]}

    answer = call_once(fault_mock, "POST", path, body)

    assert answer.status == 429
    assert answer.json()["error"]["code"] == "rate_limit_exceeded"


def test_a_client_leaving_during_a_slow_first_token_counts_as_a_cancelled_stream(fault_mock):
    set_faults(fault_mock, first_token_ms=5000)
    parts = urlsplit(fault_mock)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    path, body = CHAT["openai"]
    connection.request("POST", path, json.dumps({**body, "stream": True}).encode(), AUTH)
    assert connection.getresponse().status == 200  # headers came; the first event waits
    connection.close()

    counts = wait_for_stats(fault_mock, lambda c: c["streams_cancelled"])
    assert counts["streams_cancelled"] == 1
    assert counts["cancelled_by_client"] == 1
    assert counts["streams_completed"] == 0


def test_a_client_leaving_before_the_headers_counts_as_cancelled(fault_mock):
    set_faults(fault_mock, latency_ms=5000)
    parts = urlsplit(fault_mock)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=0.2)
    path, body = CHAT["openai"]
    with pytest.raises(TimeoutError):
        connection.request("POST", path, json.dumps(body).encode(), AUTH)
        connection.getresponse()
    connection.close()

    counts = wait_for_stats(fault_mock, lambda c: c["cancelled_by_client"])
    assert counts["cancelled_by_client"] == 1
    assert counts["streams_started"] == 0
