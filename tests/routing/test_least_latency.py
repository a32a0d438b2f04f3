"""Least-latency routing on a fake clock: requests are served by the first candidate of the
order and report that deployment's time to first token."""

from __future__ import annotations

import pytest

from ferrogate.routing.candidates import Candidate, RequestInfo
from ferrogate.routing.latency import LatencyTracker
from ferrogate.routing.strategies import LeastLatency
from tests.routing.fake_clock import FakeClock

STALE_AFTER_S = 30.0
PROBE_EVERY_S = 5.0
CANDIDATES = [Candidate("a", priority=0), Candidate("b", priority=1)]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def strategy(clock: FakeClock) -> LeastLatency:
    tracker = LatencyTracker(
        alpha=0.3, stale_after_s=STALE_AFTER_S, probe_every_s=PROBE_EVERY_S, clock=clock
    )
    return LeastLatency(tracker)


def serve(strategy: LeastLatency, ttft_s: dict[str, float]) -> str:
    chosen = strategy.order(CANDIDATES, RequestInfo())[0].deployment_id
    strategy.tracker.observe(chosen, ttft_s[chosen])
    return chosen


def serve_many(strategy: LeastLatency, clock: FakeClock, ttft_s: dict, n: int, step_s: float):
    served = []
    for _ in range(n):
        served.append(serve(strategy, ttft_s))
        clock.advance(step_s)
    return served


def test_every_deployment_is_measured_before_traffic_settles_on_the_fastest(strategy, clock):
    served = serve_many(strategy, clock, {"a": 1.0, "b": 0.1}, n=50, step_s=0.1)

    assert set(served[:2]) == {"a", "b"}
    assert served[2:] == ["b"] * 48


def test_traffic_moves_off_a_deployment_that_slows_down_within_a_few_requests(strategy, clock):
    serve_many(strategy, clock, {"a": 0.1, "b": 1.0}, n=20, step_s=0.1)

    served = serve_many(strategy, clock, {"a": 3.0, "b": 1.0}, n=20, step_s=0.1)

    switched_after = served.index("b")
    assert switched_after <= 3
    assert served[switched_after:] == ["b"] * (20 - switched_after)


def test_a_recovered_deployment_is_probed_once_it_is_stale_and_wins_its_traffic_back(
    strategy, clock
):
    serve_many(strategy, clock, {"a": 0.1, "b": 1.0}, n=20, step_s=0.1)
    serve_many(strategy, clock, {"a": 3.0, "b": 1.0}, n=10, step_s=0.1)  # a slows: b serves

    served = serve_many(strategy, clock, {"a": 0.1, "b": 1.0}, n=45, step_s=1.0)  # a recovers

    back_at = served.index("a")
    assert back_at <= STALE_AFTER_S + 1  # one-second requests: stale after about 30 of them
    assert served[back_at:] == ["a"] * (45 - back_at)


def test_a_stale_deployment_gets_one_probe_per_interval_however_busy_the_alias(strategy, clock):
    serve_many(strategy, clock, {"a": 0.1, "b": 5.0}, n=5, step_s=0.1)
    clock.advance(STALE_AFTER_S + 1)

    firsts = []
    for _ in range(200):  # b's probe never reports a first token (it is still starting)
        firsts.append(strategy.order(CANDIDATES, RequestInfo())[0].deployment_id)
        clock.advance(0.01)  # two seconds in all, under the probe interval

    assert firsts.count("b") == 1


def test_a_probe_that_never_answers_is_retried_after_the_probe_interval(strategy, clock):
    serve_many(strategy, clock, {"a": 0.1, "b": 5.0}, n=5, step_s=0.1)
    clock.advance(STALE_AFTER_S + 1)

    assert strategy.order(CANDIDATES, RequestInfo())[0].deployment_id == "b"  # the probe
    assert strategy.order(CANDIDATES, RequestInfo())[0].deployment_id == "a"
    clock.advance(PROBE_EVERY_S)
    assert strategy.order(CANDIDATES, RequestInfo())[0].deployment_id == "b"
