"""Waiting for a mock to notice something: a client leaving is seen a moment after it left."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from tests.routing.mock_fleet import Mock

NOTICE_LIMIT_S = 10.0


async def stats_when(
    mock: Mock, condition: Callable[[dict], bool], limit_s: float = NOTICE_LIMIT_S
) -> dict:
    """The mock's stats once `condition` holds; the last ones seen if it never does."""
    deadline = time.monotonic() + limit_s
    stats = mock.stats()
    while not condition(stats) and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
        stats = mock.stats()
    assert condition(stats), stats
    return stats
