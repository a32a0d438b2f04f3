"""Which failures count as the upstream's: a stream we ended ourselves is not one."""

from __future__ import annotations

from ferrogate.telemetry.metrics_labels import upstream_error_code
from ferrogate.telemetry.record import RequestRecord


def _stream(outcome: str, code: str | None) -> RequestRecord:
    record = RequestRecord("r", "chat", 0.0, stream=True, status=200)
    record.outcome, record.error_code = outcome, code
    return record


def test_a_stream_the_upstream_left_idle_is_an_upstream_error():
    assert upstream_error_code(_stream("timed_out", "stream_idle_timeout")) == "stream_idle_timeout"


def test_a_stream_ended_at_the_gateways_duration_limit_is_not():
    assert upstream_error_code(_stream("timed_out", "stream_max_duration")) is None


def test_a_completed_stream_is_not():
    assert upstream_error_code(_stream("completed", None)) is None
