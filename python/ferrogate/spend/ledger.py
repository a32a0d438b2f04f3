"""What every spend ledger offers, and the arithmetic they share.

Amounts are stored as integer micro-dollars: sums of many small float costs drift, and
Redis and SQLite both add integers exactly. Rounding each request to the nearest
micro-dollar is off by at most $0.50 per million requests.

Periods are fixed windows aligned to the Unix epoch in multiples of the period length,
the same on every instance without coordination. No period means a lifetime total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from ferrogate.errors import BudgetExceeded

MICROS_PER_USD = 1_000_000
LIFETIME_START = 0.0  # the period_start of a hold against a lifetime budget
# Kept past a period's end so a request that started inside it can still settle there.
SETTLE_MARGIN_S = 3600.0


@dataclass
class BudgetHold:
    """An admitted request's claim on its key's budget, to be settled exactly once."""

    key_id: str
    period_start: float
    held_usd: float
    period_s: float | None = None  # how long the period lasts, for the expiry of its totals
    # True when a Redis ledger took this hold from its local fallback while Redis was down.
    local: bool = False


class SpendLedger(Protocol):
    async def hold(
        self, key_id: str, budget_usd: float | None, period_s: float | None, cost_usd: float
    ) -> BudgetHold:
        """Claim `cost_usd` of the key's budget for this period; raises BudgetExceeded.

        With `budget_usd` None nothing is claimed, but the settled spend is still recorded.
        """
        ...

    def settle(self, hold: BudgetHold, actual_usd: float) -> None:
        """Release the hold and charge what the request really cost, even past the budget.

        Synchronous: it books in memory and the store is written behind, in batches.
        """
        ...

    async def spent(self, key_id: str, period_s: float | None) -> float:
        """USD settled for the key in the current period (or in total, without a period)."""
        ...

    async def aclose(self) -> None: ...


def to_micros(usd: float) -> int:
    return max(0, round(usd * MICROS_PER_USD))


def to_usd(micros: int) -> float:
    return micros / MICROS_PER_USD


def period_start(now: float, period_s: float | None) -> float:
    if period_s is None:
        return LIFETIME_START
    return math.floor(now / period_s) * period_s


def seconds_to_keep(period_begin: float, period_s: float | None, now: float) -> float | None:
    """How long the totals of a period must outlive `now`; None: for ever."""
    if period_s is None:
        return None
    return max(0.0, period_begin + period_s - now) + SETTLE_MARGIN_S


def refusal(spent_micros: int, budget_usd: float, period_s: float | None) -> BudgetExceeded:
    when = "in total" if period_s is None else "this period"
    spent = _dollars(to_usd(spent_micros))
    return BudgetExceeded(
        f"Budget exceeded for this key: spent {spent} of {_dollars(budget_usd)} {when}."
    )


def _dollars(usd: float) -> str:
    # Cents for ordinary amounts; below a cent they would all read "$0.00".
    return f"${usd:.2f}" if usd >= 0.01 or usd == 0 else f"${usd:.6f}"
