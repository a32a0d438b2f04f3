"""One deployment's turn: an attempt, then retries of it while the retry policy allows.

Every attempt takes its own health permit and gives it exactly one verdict: ``succeeded``,
``failed`` (a retryable failure: connection, timeout, 429, 5xx) or ``release`` (no verdict:
cancelled, or a refusal such as a 400 that says nothing about the deployment's health). A
permit refused, even between retries, ends the turn: the breaker has just opened.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from time import perf_counter
from typing import Protocol, TypeVar

from ferrogate.errors import GatewayError
from ferrogate.routing.candidates import Candidate
from ferrogate.routing.health import Permit
from ferrogate.routing.latency import LatencyTracker
from ferrogate.routing.retry import RetryPolicy, retry_after_of

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Lane:
    """A candidate with the settings of the alias it belongs to (which differ after a
    fallback to another alias)."""

    alias: str
    candidate: Candidate
    retry: RetryPolicy
    latency: LatencyTracker | None
    first_token_timeout_s: float | None
    sleep: Callable[[float], Awaitable[None]]
    # The deployment's own capacity: an error when it has no room for another attempt.
    capacity: Callable[[], Awaitable[GatewayError | None]] | None = None


class Operation(Protocol[T]):
    """What is asked of each deployment: a completion, a stream or embeddings."""

    async def start(self, lane: Lane) -> T:
        """One upstream attempt, up to its first token (a whole answer if not streamed)."""
        ...

    async def discard(self, result: T) -> None:
        """Give back a result nobody will use (a hedge that answered too late)."""
        ...


@dataclass(slots=True)
class Tally:
    """What one client request cost upstream so far, across lanes."""

    attempts: int = 0
    hedged: bool = False
    last_error: GatewayError | None = None
    # (deployment id, provider, started, ended (perf_counter), error code or None) per
    # attempt, for traces.
    log: list[tuple[str, str, float, float, str | None]] = field(default_factory=list)


async def run_lane(lane: Lane, operation: Operation[T], tally: Tally) -> T | None:
    """The result, or None when the lane is spent (``tally.last_error`` says why, if an
    attempt was made). A non-retryable error is raised: no other deployment is tried."""
    retries = 0
    while True:
        if lane.capacity is not None:
            full = await lane.capacity()
            if full is not None:
                tally.last_error = tally.last_error or full
                return None
        permit = await lane.candidate.health.acquire()
        if permit is None:
            return None
        tally.attempts += 1
        started = perf_counter()
        try:
            result = await operation.start(lane)
        except GatewayError as error:
            _log(tally, lane, started, error.code or "error")
            if not error.retryable:
                await permit.release()
                raise
            await permit.failed()
            tally.last_error = error
            if retries >= lane.retry.max_retries or not lane.retry.should_retry(error):
                return None
            retries += 1
            await lane.sleep(lane.retry.delay(retries, retry_after_of(error)))
            continue
        except BaseException:  # cancelled (a lost hedge, a client gone), or a bug
            await permit.release()
            raise
        _log(tally, lane, started, None)
        return await _settled(lane, operation, result, perf_counter() - started, permit)


def _log(tally: Tally, lane: Lane, started: float, error: str | None) -> None:
    provider = getattr(lane.candidate.target, "name", "")
    tally.log.append((lane.candidate.deployment_id, provider, started, perf_counter(), error))


async def _settled(
    lane: Lane, operation: Operation[T], result: T, ttft_s: float, permit: Permit
) -> T:
    try:
        await permit.succeeded()
    except BaseException:  # cancelled while a shared book records the verdict
        await operation.discard(result)
        raise
    if lane.latency is not None:
        lane.latency.observe(lane.candidate.deployment_id, ttft_s)
    return result
