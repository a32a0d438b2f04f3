"""The router against real mock upstreams: order, retries, fallbacks, cooldowns, weights."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import orjson
import pytest

from ferrogate.errors import ServiceUnavailable, UpstreamError
from ferrogate.routing.candidates import Candidate, RequestInfo
from ferrogate.routing.health import HealthBook
from ferrogate.routing.retry import RetryPolicy
from ferrogate.routing.router import ModelRouter
from ferrogate.routing.strategies import PriorityOrder, Weighted
from tests.routing.fake_clock import FakeClock
from tests.routing.mock_fleet import Mock, candidate, close_providers, running_mocks
from tests.routing.router_calls import REQUEST, RecordedSleep, chat_call, embedding_call

pytestmark = pytest.mark.anyio
NO_RETRIES = RetryPolicy(max_retries=0)


@pytest.fixture(scope="module")
def mock_processes() -> Iterator[list[Mock]]:
    with running_mocks(3, "--seed", "3") as mocks:
        yield mocks


def requests_seen(mocks: list[Mock]) -> list[int]:
    return [mock.stats()["requests"] for mock in mocks]


async def test_deployments_are_tried_in_priority_order_until_one_answers(mocks, deployments):
    mocks[0].faults(fault_rate=1.0, fault_status=503)
    mocks[1].faults(reset_rate=1.0)
    router = ModelRouter("m", deployments, PriorityOrder(), NO_RETRIES)

    routed = await router.complete(chat_call(), REQUEST)

    assert routed.served_by.deployment_id == "c"
    assert routed.alias == "m"
    assert routed.attempts == 3
    assert orjson.loads(routed.result.body)["object"] == "chat.completion"
    assert requests_seen(mocks) == [1, 1, 1]


async def test_a_deployment_failing_now_and_then_is_retried_until_it_answers(mocks, deployments):
    mocks[0].faults(fault_rate=0.4, fault_status=503, seed=8)
    sleep = RecordedSleep()
    router = ModelRouter(
        "m", deployments[:1], PriorityOrder(), RetryPolicy(max_retries=6), sleep=sleep
    )

    attempts = [(await router.complete(chat_call(), REQUEST)).attempts for _ in range(30)]

    assert max(attempts) > 1  # some were retried, and every one succeeded on the same deployment
    assert sum(attempts) == requests_seen(mocks)[0]
    assert len(sleep.delays) == sum(attempts) - len(attempts)


async def test_a_retry_waits_with_backoff_then_the_recovered_deployment_answers(mocks, deployments):
    mocks[0].faults(fault_rate=1.0, fault_status=502)
    sleep = RecordedSleep(on_sleep=lambda: mocks[0].faults(fault_rate=0.0))
    policy = RetryPolicy(max_retries=2, base_delay_s=0.25)
    router = ModelRouter("m", deployments, PriorityOrder(), policy, sleep=sleep)

    routed = await router.complete(chat_call(), REQUEST)

    assert (routed.served_by.deployment_id, routed.attempts) == ("a", 2)
    assert len(sleep.delays) == 1 and 0 <= sleep.delays[0] <= 0.25
    assert requests_seen(mocks) == [2, 0, 0]


async def test_a_bad_request_is_neither_retried_nor_sent_elsewhere(mocks, deployments):
    mocks[0].faults(fault_rate=1.0, fault_status=400)
    sleep = RecordedSleep()
    router = ModelRouter("m", deployments, PriorityOrder(), RetryPolicy(), sleep=sleep)

    with pytest.raises(UpstreamError) as raised:
        await router.complete(chat_call(), REQUEST)

    assert raised.value.status == 400
    assert sleep.delays == []
    assert requests_seen(mocks) == [1, 0, 0]


# The providers do not pass an upstream's retry-after headers on yet (UpstreamReply has no
# headers), so against the mock these two fail; strict, so they flag the fix when it lands.


async def test_a_429_is_retried_after_the_wait_the_upstream_asked_for(mocks, deployments):
    mocks[0].faults(fault_rate=1.0, fault_status=429, fault_retry_after=2)
    sleep = RecordedSleep(on_sleep=lambda: mocks[0].faults(fault_rate=0.0))
    policy = RetryPolicy(max_retries=2, base_delay_s=0.01)
    router = ModelRouter("m", deployments, PriorityOrder(), policy, sleep=sleep)

    routed = await router.complete(chat_call(), REQUEST)

    assert sleep.delays == [2.0]
    assert (routed.served_by.deployment_id, routed.attempts) == ("a", 2)


async def test_a_retry_after_longer_than_allowed_moves_on_to_the_next_deployment(
    mocks, deployments
):
    mocks[0].faults(fault_rate=1.0, fault_status=429, fault_retry_after=120)
    sleep = RecordedSleep()
    policy = RetryPolicy(max_retries=2)
    router = ModelRouter("m", deployments, PriorityOrder(), policy, sleep=sleep)

    routed = await router.complete(chat_call(), REQUEST)

    assert routed.served_by.deployment_id == "b"
    assert sleep.delays == []


class RateLimitedFirst:
    """A real provider behind one 429 carrying `retry-after`, raised as providers will raise
    it once they pass the upstream's headers on."""

    name = "openai"

    def __init__(self, provider, retry_after: str) -> None:
        self._provider = provider
        self._retry_after = retry_after
        self.refused = 0

    async def complete(self, call):
        if not self.refused:
            self.refused += 1
            error = UpstreamError("Rate limit reached.", status=429, provider=self.name)
            error.headers.append(("retry-after", self._retry_after))
            raise error
        return await self._provider.complete(call)


@pytest.mark.parametrize(
    ("retry_after", "served_by", "delays"), [("2", "a", [2.0]), ("120", "b", [])]
)
async def test_retry_after_sets_the_wait_or_sends_the_request_elsewhere(
    mocks, deployments, retry_after, served_by, delays
):
    a, b, _ = deployments
    limited = replace(a, target=RateLimitedFirst(a.target, retry_after))
    sleep = RecordedSleep()
    policy = RetryPolicy(max_retries=2, base_delay_s=0.01, max_retry_after_s=30.0)
    router = ModelRouter("m", [limited, b], PriorityOrder(), policy, sleep=sleep)

    routed = await router.complete(chat_call(), REQUEST)

    assert (routed.served_by.deployment_id, routed.attempts) == (served_by, 2)
    assert sleep.delays == delays


async def test_when_every_deployment_fails_the_last_error_is_raised(mocks, deployments):
    mocks[0].faults(fault_rate=1.0, fault_status=503)
    mocks[1].faults(fault_rate=1.0, fault_status=503)
    mocks[2].faults(fault_rate=1.0, fault_status=500)
    sleep = RecordedSleep()
    router = ModelRouter("m", deployments, PriorityOrder(), RetryPolicy(max_retries=1), sleep=sleep)

    with pytest.raises(UpstreamError) as raised:
        await router.complete(chat_call(), REQUEST)

    assert raised.value.status == 500
    assert requests_seen(mocks) == [2, 2, 2]
    assert len(sleep.delays) == 3


async def test_spent_deployments_fall_back_to_another_alias(mocks, deployments):
    a, _, c = deployments
    mocks[0].faults(fault_rate=1.0, fault_status=503)
    other = ModelRouter("other", [c], PriorityOrder(), NO_RETRIES)
    routers = {"other": other}
    router = ModelRouter(
        "m", [a], PriorityOrder(), NO_RETRIES, fallbacks=["other"], resolve=routers.__getitem__
    )

    routed = await router.complete(chat_call(), REQUEST)

    assert (routed.alias, routed.served_by.deployment_id, routed.attempts) == ("other", "c", 2)
    assert requests_seen(mocks) == [1, 0, 1]


async def test_fallbacks_that_point_back_are_each_tried_once(mocks, deployments):
    a, b, _ = deployments
    mocks[0].faults(fault_rate=1.0, fault_status=503)
    mocks[1].faults(fault_rate=1.0, fault_status=502)
    routers: dict[str, ModelRouter] = {}
    resolve = routers.__getitem__
    routers["x"] = ModelRouter(
        "x", [a], PriorityOrder(), NO_RETRIES, fallbacks=["y"], resolve=resolve
    )
    routers["y"] = ModelRouter(
        "y", [b], PriorityOrder(), NO_RETRIES, fallbacks=["x"], resolve=resolve
    )

    with pytest.raises(UpstreamError) as raised:
        await routers["x"].complete(chat_call(), REQUEST)

    assert raised.value.status == 502
    assert requests_seen(mocks) == [1, 1, 0]


async def test_a_deployment_cooling_down_is_skipped_until_its_probe(mocks, deployments):
    a, b, _ = deployments
    clock = FakeClock()
    book = HealthBook(failures_to_trip=1, cooldown_s=30.0, clock=clock)
    router = ModelRouter("m", [a, b], PriorityOrder(), NO_RETRIES, health=book)
    mocks[0].faults(fault_rate=1.0, fault_status=503)

    first = await router.complete(chat_call(), REQUEST)
    mocks[0].faults(fault_rate=0.0)
    cooling = await router.complete(chat_call(), REQUEST)
    clock.advance(30.0)
    probed = await router.complete(chat_call(), REQUEST)

    assert [r.served_by.deployment_id for r in (first, cooling, probed)] == ["b", "b", "a"]
    assert [first.attempts, cooling.attempts, probed.attempts] == [2, 1, 1]
    assert requests_seen(mocks)[:2] == [2, 2]


async def test_when_every_deployment_cools_down_they_are_still_tried(mocks, deployments):
    book = HealthBook(failures_to_trip=1, cooldown_s=30.0, clock=FakeClock())
    router = ModelRouter("m", deployments[:1], PriorityOrder(), NO_RETRIES, health=book)
    mocks[0].faults(fault_rate=1.0, fault_status=503)
    with pytest.raises(UpstreamError):
        await router.complete(chat_call(), REQUEST)
    mocks[0].faults(fault_rate=0.0)

    routed = await router.complete(chat_call(), REQUEST)

    assert routed.served_by.deployment_id == "a"
    assert requests_seen(mocks)[0] == 2


async def test_nothing_able_to_serve_is_a_503_naming_the_alias(mocks, deployments):
    small = [replace(d, context_window=10) for d in deployments[:1]]
    router = ModelRouter("m", small, PriorityOrder(), NO_RETRIES)

    with pytest.raises(ServiceUnavailable, match="No deployment of `m` is available"):
        await router.complete(chat_call(), RequestInfo(prompt_tokens=50))

    assert requests_seen(mocks)[0] == 0


async def test_embeddings_fall_back_like_chat(mocks, deployments):
    mocks[0].faults(fault_rate=1.0, fault_status=503)
    router = ModelRouter("m", deployments, PriorityOrder(), NO_RETRIES)

    routed = await router.embed(embedding_call(), REQUEST)

    assert routed.served_by.deployment_id == "b"
    assert orjson.loads(routed.result.body)["object"] == "list"


async def test_weighted_routing_spreads_requests_by_weight(mocks):
    weights = {"a": 1.0, "b": 2.0, "c": 5.0}
    built: list[Candidate] = [
        candidate(name, mock, weight=weights[name]) for name, mock in zip("abc", mocks, strict=True)
    ]
    router = ModelRouter("m", built, Weighted(random.Random(17)), NO_RETRIES)
    total = 400
    try:
        served = Counter(
            [
                (await router.complete(chat_call(), REQUEST)).served_by.deployment_id
                for _ in range(total)
            ]
        )
    finally:
        await close_providers(built)

    for name, weight in weights.items():
        assert served[name] / total == pytest.approx(weight / sum(weights.values()), abs=0.06)
    assert requests_seen(mocks) == [served["a"], served["b"], served["c"]]
