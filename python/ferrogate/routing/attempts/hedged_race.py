"""Hedging: lanes run side by side, the first result wins and the others are cancelled.

The first lane starts at once. Whenever ``after_s`` passes with no lane answering (no first
token for a stream), the next lane in the try order starts too, up to ``max_hedges`` extra
lanes at a time. A lane that is spent is replaced at once, as it would be without hedging.
The losers are cancelled and awaited, so their permits are released and their connections
closed (the upstream sees the client leave) before the winner is handed out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TypeVar

from ferrogate.routing.attempts.lane import Lane, Operation, Tally, run_lane

T = TypeVar("T")


async def race(
    lanes: Iterator[Lane],
    operation: Operation[T],
    tally: Tally,
    after_s: float,
    max_hedges: int,
) -> tuple[Lane, T] | None:
    """The winning lane and its result; None when every lane is spent."""
    running: dict[asyncio.Future[T | None], Lane] = {}

    def start_next() -> bool:
        lane = next(lanes, None)
        if lane is None:
            return False
        coroutine = run_lane(lane, operation, tally)
        running[asyncio.ensure_future(coroutine)] = lane
        return True

    try:
        start_next()
        while running:
            may_hedge = len(running) <= max_hedges
            done, _ = await asyncio.wait(
                running, timeout=after_s if may_hedge else None, return_when=asyncio.FIRST_COMPLETED
            )
            if not done:
                tally.hedged |= start_next()
                continue
            spent = 0
            for task in done:
                lane = running.pop(task)
                result = task.result()  # a non-retryable error ends the race here
                if result is not None:
                    return lane, result
                spent += 1
            for _ in range(spent):  # fail over at once, as without hedging
                start_next()
        return None
    finally:
        await _cancel(running, operation)


async def _cancel(running: dict[asyncio.Future[T | None], Lane], operation: Operation[T]) -> None:
    for task in running:
        task.cancel()
    outcomes = await asyncio.gather(*running, return_exceptions=True)
    for outcome in outcomes:
        if outcome is not None and not isinstance(outcome, BaseException):
            await operation.discard(outcome)  # answered too, but after the winner
