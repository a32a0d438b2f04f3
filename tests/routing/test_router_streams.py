"""Streams through the router: anything before the first chunk may go elsewhere, nothing after."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest

from ferrogate.errors import UpstreamTimeout
from ferrogate.providers.sse import DONE
from ferrogate.routing.latency import LatencyTracker
from ferrogate.routing.retry import RetryPolicy
from ferrogate.routing.router import ModelRouter
from ferrogate.routing.strategies import PriorityOrder
from tests.routing.mock_fleet import Mock, running_mocks
from tests.routing.router_calls import REQUEST, chat_call, read_all
from tests.routing.wait_for_stats import stats_when

pytestmark = pytest.mark.anyio
NO_RETRIES = RetryPolicy(max_retries=0)


@pytest.fixture(scope="module")
def mock_processes() -> Iterator[list[Mock]]:
    # Events a write each, so a cut after N events leaves exactly N on the wire.
    with running_mocks(2, "--seed", "5", "--chunk-delay-ms", "2") as mocks:
        yield mocks


def events(chunks: list[bytes]) -> list[bytes]:
    """The SSE events, however the chunks split them."""
    return [event + b"\n\n" for event in b"".join(chunks).split(b"\n\n") if event]


async def test_a_stream_is_handed_out_whole_with_its_first_chunk(mocks, deployments):
    latency = LatencyTracker()
    router = ModelRouter("m", deployments, PriorityOrder(), NO_RETRIES, latency=latency)

    routed = await router.stream(chat_call(stream=True), REQUEST)
    received = events(await read_all(routed.result))

    assert routed.served_by.deployment_id == "a" and routed.attempts == 1
    assert received[-1] == DONE
    first = orjson.loads(received[0].removeprefix(b"data: "))
    assert first["object"] == "chat.completion.chunk"
    assert routed.result.usage.counts is not None
    assert latency.estimate("a") is not None and latency.estimate("b") is None


@pytest.mark.parametrize(
    "fault",
    [
        {"fault_rate": 1.0, "fault_status": 503},
        {"reset_rate": 1.0},
        {"cut_after": 0},  # headers, then the connection drops before any event
    ],
    ids=["status", "reset", "cut-before-first-event"],
)
async def test_a_failure_before_the_first_chunk_falls_back(mocks, deployments, fault):
    mocks[0].faults(**fault)
    router = ModelRouter("m", deployments, PriorityOrder(), NO_RETRIES)

    routed = await router.stream(chat_call(stream=True), REQUEST)
    received = events(await read_all(routed.result))

    assert (routed.served_by.deployment_id, routed.attempts) == ("b", 2)
    assert received[-1] == DONE


async def test_a_failure_after_the_first_chunk_ends_the_stream_with_an_error(mocks, deployments):
    mocks[0].faults(cut_after=2)
    router = ModelRouter("m", deployments, PriorityOrder(), RetryPolicy(max_retries=2))

    routed = await router.stream(chat_call(stream=True), REQUEST)
    received = events(await read_all(routed.result))

    assert (routed.served_by.deployment_id, routed.attempts) == ("a", 1)
    assert len(received) == 3
    assert (
        orjson.loads(received[-1].removeprefix(b"data: "))["error"]["code"] == "stream_interrupted"
    )
    assert [mock.stats()["requests"] for mock in mocks] == [1, 0]


async def test_no_first_token_in_time_moves_on_and_closes_the_slow_stream(mocks, deployments):
    mocks[0].faults(first_token_ms=30_000)
    router = ModelRouter("m", deployments, PriorityOrder(), NO_RETRIES, first_token_timeout_s=0.3)

    routed = await router.stream(chat_call(stream=True), REQUEST)
    await routed.result.chunks.aclose()

    assert (routed.served_by.deployment_id, routed.attempts) == ("b", 2)
    stats = await stats_when(mocks[0], lambda s: s["streams_cancelled"] == 1)
    assert stats["streams_completed"] == 0


async def test_no_first_token_in_time_anywhere_is_a_timeout(mocks, deployments):
    mocks[0].faults(first_token_ms=30_000)
    router = ModelRouter(
        "m", deployments[:1], PriorityOrder(), NO_RETRIES, first_token_timeout_s=0.3
    )

    with pytest.raises(UpstreamTimeout, match=r"no first token within 0\.3s"):
        await router.stream(chat_call(stream=True), REQUEST)
