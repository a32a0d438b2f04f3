"""Spend written behind: what one ledger and two ledgers on one store see, and when."""

import asyncio
import time

import pytest

from ferrogate.errors import BudgetExceeded
from ferrogate.spend import LocalSpendLedger, RedisSpendLedger

pytestmark = pytest.mark.anyio

MINUTE = 60.0


async def eventually(read, expected: float, within_s: float = 10.0) -> float:
    """Poll `read` until it returns `expected` (flushes run in the background)."""
    deadline = time.monotonic() + within_s
    while True:
        value = await read()
        if value == pytest.approx(expected) or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.02)


async def test_a_settle_is_visible_through_spent_at_once(ledger):
    for _ in range(50):  # small holds far from the budget: decided in memory
        ledger.settle(await ledger.hold("k1", 100.0, MINUTE, 0.01), 0.01)
    assert await ledger.spent("k1", MINUTE) == pytest.approx(0.50)


async def test_one_ledger_never_passes_the_budget_near_its_end(ledger):
    admitted = 0
    while admitted < 200:
        try:
            hold = await ledger.hold("k1", 1.00, MINUTE, 0.01)
        except BudgetExceeded as refused:
            assert refused.message == (
                "Budget exceeded for this key: spent $1.00 of $1.00 this period."
            )
            break
        ledger.settle(hold, 0.01)
        admitted += 1
    assert admitted == 100
    assert await ledger.spent("k1", MINUTE) == pytest.approx(1.00)


async def test_concurrent_small_holds_in_one_process_claim_exactly_the_budget(ledger):
    await ledger.spent("k1", MINUTE)  # the key's totals are fresh: holds start in memory

    async def try_hold() -> bool:
        try:
            await ledger.hold("k1", 1.00, MINUTE, 0.001)
        except BudgetExceeded:
            return False
        return True

    admitted = await asyncio.gather(*(try_hold() for _ in range(1_500)))
    assert sum(admitted) == 1_000


async def test_two_ledgers_see_each_others_spend_after_a_flush(two_ledgers):
    first, second = two_ledgers
    await second.hold("k1", 1.00, MINUTE, 0.01)  # the second ledger already knows the key
    first.settle(await first.hold("k1", 1.00, MINUTE, 0.97), 0.97)

    assert await eventually(lambda: second.spent("k1", MINUTE), 0.97) == pytest.approx(0.97)
    with pytest.raises(BudgetExceeded):  # 0.97 spent + 0.01 held + 0.05 > 1.00
        await second.hold("k1", 1.00, MINUTE, 0.05)
    await second.hold("k1", 1.00, MINUTE, 0.02)


async def test_aclose_writes_everything_settled(tmp_path, clock):
    first = LocalSpendLedger(tmp_path / "spend.sqlite3", clock=clock)
    for _ in range(20):
        first.settle(await first.hold("k1", 100.0, MINUTE, 0.05), 0.05)
    first.settle(await first.hold("k2", None, None, 1.0), 2.0)
    await first.aclose()

    second = LocalSpendLedger(tmp_path / "spend.sqlite3", clock=clock)
    try:
        assert await second.spent("k1", MINUTE) == pytest.approx(1.00)
        assert await second.spent("k2", None) == pytest.approx(2.0)
    finally:
        await second.aclose()


async def test_aclose_writes_everything_settled_to_redis(
    tmp_path, clock, redis_stack_url, redis_client
):
    def opened() -> RedisSpendLedger:
        local = LocalSpendLedger(tmp_path / "fallback.sqlite3", clock=clock)
        return RedisSpendLedger(redis_stack_url, fallback=local, clock=clock)

    first = opened()
    for _ in range(20):
        first.settle(await first.hold("k1", 100.0, MINUTE, 0.05), 0.05)
    await first.aclose()

    second = opened()
    try:
        assert await second.spent("k1", MINUTE) == pytest.approx(1.00)
    finally:
        await second.aclose()
