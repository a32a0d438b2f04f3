"""Hold, settle and refusal arithmetic, the same on the SQLite and the Redis ledger."""

import asyncio

import pytest

from ferrogate.errors import BudgetExceeded

pytestmark = pytest.mark.anyio

MINUTE = 60.0


async def test_settle_charges_the_actual_cost_and_frees_the_rest_of_the_hold(ledger):
    hold = await ledger.hold("k1", 1.00, MINUTE, 0.80)
    ledger.settle(hold, 0.30)

    assert await ledger.spent("k1", MINUTE) == pytest.approx(0.30)
    await ledger.hold("k1", 1.00, MINUTE, 0.70)  # fits only because 0.50 came back
    assert await ledger.spent("k1", MINUTE) == pytest.approx(0.30)  # holds are not spend


async def test_hold_that_would_exceed_the_budget_is_refused(ledger):
    first = await ledger.hold("k1", 1.00, MINUTE, 0.60)
    with pytest.raises(BudgetExceeded):
        await ledger.hold("k1", 1.00, MINUTE, 0.50)
    ledger.settle(first, 0.60)

    with pytest.raises(BudgetExceeded) as refused:
        await ledger.hold("k1", 1.00, MINUTE, 0.50)
    assert refused.value.status == 429
    assert refused.value.code == "insufficient_quota"
    assert refused.value.message == (
        "Budget exceeded for this key: spent $0.60 of $1.00 this period."
    )


async def test_settle_past_the_budget_is_still_recorded(ledger):
    hold = await ledger.hold("k1", 1.00, MINUTE, 0.10)
    ledger.settle(hold, 2.50)  # a stream that ran long is charged in full

    assert await ledger.spent("k1", MINUTE) == pytest.approx(2.50)
    with pytest.raises(BudgetExceeded, match=r"spent \$2.50 of \$1.00"):
        await ledger.hold("k1", 1.00, MINUTE, 0.0)


async def test_key_without_a_budget_is_never_refused_but_its_spend_is_tracked(ledger):
    hold = await ledger.hold("k1", None, MINUTE, 1_000.0)
    ledger.settle(hold, 12.34)
    hold = await ledger.hold("k1", None, None, 1_000.0)
    ledger.settle(hold, 1.0)

    assert await ledger.spent("k1", MINUTE) == pytest.approx(12.34)
    assert await ledger.spent("k1", None) == pytest.approx(1.0)


async def test_keys_have_separate_budgets(ledger):
    ledger.settle(await ledger.hold("k1", 1.00, MINUTE, 1.00), 1.00)
    await ledger.hold("k2", 1.00, MINUTE, 1.00)
    assert await ledger.spent("k2", MINUTE) == 0.0


async def test_a_new_period_starts_with_the_whole_budget(ledger, clock):
    ledger.settle(await ledger.hold("k1", 1.00, MINUTE, 1.00), 1.00)
    with pytest.raises(BudgetExceeded):
        await ledger.hold("k1", 1.00, MINUTE, 0.01)

    clock.now += MINUTE
    assert await ledger.spent("k1", MINUTE) == 0.0
    await ledger.hold("k1", 1.00, MINUTE, 1.00)


async def test_a_lifetime_budget_never_rolls_over(ledger, clock):
    ledger.settle(await ledger.hold("k1", 1.00, None, 1.00), 1.00)
    clock.now += 365 * 86_400
    with pytest.raises(BudgetExceeded, match="in total"):
        await ledger.hold("k1", 1.00, None, 0.01)


async def test_a_request_settles_into_the_period_it_was_admitted_in(ledger, clock):
    hold = await ledger.hold("k1", 1.00, MINUTE, 0.50)
    clock.now += MINUTE
    ledger.settle(hold, 0.40)
    assert await ledger.spent("k1", MINUTE) == 0.0

    clock.now -= MINUTE
    assert await ledger.spent("k1", MINUTE) == pytest.approx(0.40)
    await ledger.hold("k1", 1.00, MINUTE, 0.60)  # the 0.50 hold was released


async def test_concurrent_holds_never_claim_more_than_the_budget(ledger):
    async def try_hold() -> bool:
        try:
            await ledger.hold("k1", 1.00, MINUTE, 0.10)
        except BudgetExceeded:
            return False
        return True

    admitted = await asyncio.gather(*(try_hold() for _ in range(40)))
    assert sum(admitted) == 10
