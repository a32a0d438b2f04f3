"""One key's spend in one period as this process sees it.

`known` is the store's total (spent + held) at the last exchange with it; `pending_*` is
what this process has added since and not yet sent; `sending_*` is what the one exchange
in flight carries. At most one exchange per tally is in flight (`lock`), so replies
arrive in the order the store applied them and `known` never goes back in time.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import NamedTuple


class Slot(NamedTuple):
    key_id: str
    period_start: float
    period_s: float | None  # None: a lifetime total


@dataclass(frozen=True)
class Change:
    """Micro-dollars one exchange adds to a slot's totals (held may go down)."""

    spent: int = 0
    held: int = 0

    def __bool__(self) -> bool:
        return self.spent != 0 or self.held != 0


@dataclass(frozen=True)
class Reading:
    """A slot's totals in the store, in micro-dollars, right after an exchange."""

    spent: int
    held: int

    @property
    def total(self) -> int:
        return self.spent + self.held


class Tally:
    __slots__ = (
        "known",
        "known_spent",
        "lock",
        "pending_held",
        "pending_spent",
        "refreshed_at",
        "sending_held",
        "sending_spent",
        "used_at",
    )

    def __init__(self, now: float):
        self.known = 0
        self.known_spent = 0
        self.pending_spent = 0
        self.pending_held = 0
        self.sending_spent = 0
        self.sending_held = 0
        self.refreshed_at = float("-inf")  # monotonic time the last reading was asked for
        self.used_at = now
        self.lock = asyncio.Lock()

    def unconfirmed(self) -> int:
        """What this process added that the store has not confirmed yet (may be negative)."""
        return self.pending_spent + self.pending_held + self.sending_spent + self.sending_held

    def spent(self) -> int:
        return self.known_spent + self.sending_spent + self.pending_spent

    def dirty(self) -> bool:
        return self.pending_spent != 0 or self.pending_held != 0

    def take(self) -> Change:
        """Move the pending change into the exchange about to start (lock held)."""
        change = Change(self.pending_spent, self.pending_held)
        self.sending_spent, self.sending_held = change.spent, change.held
        self.pending_spent = self.pending_held = 0
        return change

    def confirm(self, reading: Reading, asked_at: float) -> None:
        self.known, self.known_spent = reading.total, reading.spent
        self.sending_spent = self.sending_held = 0
        self.refreshed_at = asked_at

    def restore(self) -> None:
        """The exchange failed: its change is pending again, to go with the next one."""
        self.pending_spent += self.sending_spent
        self.pending_held += self.sending_held
        self.sending_spent = self.sending_held = 0
