"""Hedging against real mocks: the faster deployment answers, the slower one is cancelled."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ferrogate.errors import UpstreamError
from ferrogate.providers.sse import DONE
from ferrogate.routing.retry import RetryPolicy
from ferrogate.routing.router import HedgePolicy, ModelRouter
from ferrogate.routing.strategies import PriorityOrder
from tests.routing.mock_fleet import Mock, running_mocks
from tests.routing.router_calls import REQUEST, chat_call, read_all
from tests.routing.wait_for_stats import stats_when

pytestmark = pytest.mark.anyio
NO_RETRIES = RetryPolicy(max_retries=0)
SLOW_MS = 30_000  # far beyond any test; the hedge must not wait for it
# Long enough that only a cancelled request can explain the mock seeing the client leave.
SLOW_ANSWER_MS = 3_000
HEDGE = HedgePolicy(after_s=0.2)


@pytest.fixture(scope="module")
def mock_processes() -> Iterator[list[Mock]]:
    with running_mocks(3, "--seed", "9") as mocks:
        yield mocks


def hedged_router(deployments, hedge: HedgePolicy = HEDGE) -> ModelRouter:
    return ModelRouter("m", deployments, PriorityOrder(), NO_RETRIES, hedge=hedge)


async def test_a_slow_answer_is_hedged_and_the_faster_one_served(mocks, deployments):
    mocks[0].faults(latency_ms=SLOW_ANSWER_MS)

    routed = await hedged_router(deployments).complete(chat_call(), REQUEST)

    assert (routed.served_by.deployment_id, routed.attempts, routed.hedged) == ("b", 2, True)
    assert [mock.stats()["requests"] for mock in mocks] == [1, 1, 0]


async def test_the_upstream_sees_a_lost_non_streamed_hedge_cancelled(mocks, deployments):
    mocks[0].faults(latency_ms=SLOW_ANSWER_MS)

    await hedged_router(deployments).complete(chat_call(), REQUEST)

    await stats_when(mocks[0], lambda s: s["cancelled_by_client"] == 1, limit_s=1.0)


async def test_a_slow_first_token_is_hedged_and_the_slow_stream_cancelled(mocks, deployments):
    mocks[0].faults(first_token_ms=SLOW_MS)

    routed = await hedged_router(deployments).stream(chat_call(stream=True), REQUEST)
    received = await read_all(routed.result)

    assert (routed.served_by.deployment_id, routed.attempts, routed.hedged) == ("b", 2, True)
    assert received[-1].endswith(DONE)
    stats = await stats_when(mocks[0], lambda s: s["streams_cancelled"] == 1)
    assert stats["streams_completed"] == 0
    assert mocks[1].stats()["streams_completed"] == 1


async def test_a_fast_answer_starts_no_hedge(mocks, deployments):
    routed = await hedged_router(deployments).complete(chat_call(), REQUEST)

    assert (routed.served_by.deployment_id, routed.attempts, routed.hedged) == ("a", 1, False)
    assert [mock.stats()["requests"] for mock in mocks] == [1, 0, 0]


async def test_hedges_go_down_the_order_while_no_one_answers(mocks, deployments):
    mocks[0].faults(first_token_ms=SLOW_MS)
    mocks[1].faults(first_token_ms=SLOW_MS)

    hedge = HedgePolicy(after_s=0.2, max_hedges=2)
    routed = await hedged_router(deployments, hedge).stream(chat_call(stream=True), REQUEST)
    await routed.result.chunks.aclose()

    assert (routed.served_by.deployment_id, routed.attempts, routed.hedged) == ("c", 3, True)
    for slow in mocks[:2]:
        await stats_when(slow, lambda s: s["streams_cancelled"] == 1)


async def test_a_failed_deployment_is_replaced_at_once_without_counting_as_a_hedge(
    mocks, deployments
):
    mocks[0].faults(fault_rate=1.0, fault_status=503)

    routed = await hedged_router(deployments).complete(chat_call(), REQUEST)

    assert (routed.served_by.deployment_id, routed.attempts, routed.hedged) == ("b", 2, False)


async def test_a_bad_request_from_a_hedge_ends_the_request_and_cancels_the_rest(mocks, deployments):
    mocks[0].faults(first_token_ms=SLOW_MS)
    mocks[1].faults(fault_rate=1.0, fault_status=400)

    with pytest.raises(UpstreamError) as raised:
        await hedged_router(deployments).stream(chat_call(stream=True), REQUEST)

    assert raised.value.status == 400
    await stats_when(mocks[0], lambda s: s["streams_cancelled"] == 1)
    assert mocks[2].stats()["requests"] == 0
