"""Redis connections a burst opened are closed once idle, and reopen for the next burst."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from ferrogate.shared_state.idle_closing_pool import IdleClosingPool
from ferrogate.shared_state.redis_client import connect

NAME = "ferrogate-idle-close-test"
IDLE_CLOSE_S = 0.3
BURST = 20


def open_connections(redis_client) -> int:
    """Connections Redis itself counts for this test's pool."""
    return sum(1 for client in redis_client.client_list() if client.get("name") == NAME)


async def burst(client: Redis) -> None:
    # Each BLPOP holds its connection for 0.2 s, so the pool must open one per call.
    await asyncio.gather(*(client.blpop(["idle-close-none"], timeout=0.2) for _ in range(BURST)))


def test_a_bursts_connections_close_once_idle_and_reopen_for_the_next(
    redis_stack_url, redis_client
):
    async def scenario() -> list[int]:
        pool = IdleClosingPool.from_url(
            redis_stack_url, max_connections=64, client_name=NAME, idle_close_s=IDLE_CLOSE_S
        )
        client = Redis.from_pool(pool)
        counts = []
        await burst(client)
        counts.append(open_connections(redis_client))
        await asyncio.sleep(IDLE_CLOSE_S + 0.1)
        for _ in range(3):  # steady traffic after the burst: one connection at a time
            await client.ping()
        counts.append(open_connections(redis_client))
        await burst(client)
        counts.append(open_connections(redis_client))
        await client.aclose()
        return counts

    after_burst, after_idle, after_second_burst = asyncio.run(scenario())
    assert after_burst == BURST
    assert after_idle <= 2, f"{after_idle} connections still open after the burst went idle"
    assert after_second_burst == BURST


def test_every_redis_backed_store_gets_the_idle_closing_pool(redis_stack_url):
    client = connect(redis_stack_url)
    assert isinstance(client.connection_pool, IdleClosingPool)
    asyncio.run(client.aclose())
