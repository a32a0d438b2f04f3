"""Spend: a price table that turns usage into dollars, and ledgers that hold budgets per key.

A request first takes a `BudgetHold` for its expected cost (refused with `BudgetExceeded`
when the key's budget could not cover it), then settles the hold to what it really cost.
"""

from typing import TYPE_CHECKING, Any

from ferrogate.spend.ledger import BudgetHold, SpendLedger
from ferrogate.spend.local_ledger import LocalSpendLedger
from ferrogate.spend.open_ledger import open_ledger
from ferrogate.spend.prices import DEFAULT_PRICES, PriceTable

if TYPE_CHECKING:
    from ferrogate.spend.redis_ledger import RedisSpendLedger


def __getattr__(name: str) -> Any:
    # Loaded on first use: redis-py costs ~12 MiB of RSS in a gateway that has no Redis.
    if name == "RedisSpendLedger":
        from ferrogate.spend.redis_ledger import RedisSpendLedger

        return RedisSpendLedger
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_PRICES",
    "BudgetHold",
    "LocalSpendLedger",
    "PriceTable",
    "RedisSpendLedger",
    "SpendLedger",
    "open_ledger",
]
