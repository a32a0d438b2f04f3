"""What the write-behind ledger needs from a store of spend totals (SQLite or Redis)."""

from __future__ import annotations

from typing import Protocol

from ferrogate.spend.tally import Change, Reading, Slot


class SpendStore(Protocol):
    async def claim(
        self, slot: Slot, change: Change, cost: int, budget: int, keep_s: float | None
    ) -> tuple[bool, Reading]:
        """Atomically: apply `change`, then add `cost` to held if spent + held + cost fits
        `budget`. Returns whether it did, and the totals after. `keep_s`: how long the
        slot's totals must outlive now (None: for ever)."""
        ...

    async def apply(self, changes: list[tuple[Slot, Change, float | None]]) -> list[Reading]:
        """Apply every change (held never below 0) and read back every slot's totals, in
        one call; a zero change just reads."""
        ...

    async def aclose(self) -> None: ...
