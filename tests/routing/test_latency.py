from __future__ import annotations

import pytest

from ferrogate.routing.latency import LatencyTracker
from tests.routing.fake_clock import FakeClock


def test_estimate_is_an_exponentially_weighted_average_of_time_to_first_token():
    tracker = LatencyTracker(alpha=0.5, clock=FakeClock())
    assert tracker.estimate("d") is None

    tracker.observe("d", 1.0)
    tracker.observe("d", 3.0)
    tracker.observe("d", 3.0)

    assert tracker.estimate("d") == pytest.approx(2.5)


def test_a_sample_after_a_stale_gap_replaces_the_old_estimate():
    clock = FakeClock()
    tracker = LatencyTracker(alpha=0.1, stale_after_s=10, clock=clock)
    tracker.observe("d", 4.0)
    clock.advance(11)
    assert not tracker.fresh("d")
    assert tracker.estimate("d") == 4.0  # still known, for ordering, while stale

    tracker.observe("d", 0.2)

    assert tracker.estimate("d") == 0.2
    assert tracker.fresh("d")


def test_a_freshly_measured_deployment_needs_no_probe():
    clock = FakeClock()
    tracker = LatencyTracker(stale_after_s=10, probe_every_s=2, clock=clock)
    tracker.observe("d", 0.5)

    assert not tracker.claim_probe("d")
    clock.advance(11)
    assert tracker.claim_probe("d")
    assert not tracker.claim_probe("d")  # one probe per interval
