"""The last fifteen minutes as slots of ten seconds, keyed by each slot's start (Unix time)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from ferrogate.telemetry.record import RequestRecord

from .slot import TRAFFIC_ROUTES, Slot

SLOT_S = 10
WINDOW_S = 15 * 60


def slot_start(unix: float) -> int:
    return int(unix // SLOT_S) * SLOT_S


class Window:
    """One worker's slots. `changed` names the slots counted into since it was last taken,
    so a worker publishes only those."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self._clock = clock
        self.slots: dict[int, Slot] = {}
        self._changed: set[int] = set()

    def count(self, records: Iterable[RequestRecord], model_label: Callable[[str], str]) -> None:
        for record in records:
            self.count_one(record, model_label)

    def count_one(self, record: RequestRecord, model_label: Callable[[str], str]) -> None:
        if record.route not in TRAFFIC_ROUTES:
            return
        start = slot_start(record.started_unix + record.duration_s)
        slot = self.slots.get(start)
        if slot is None:
            slot = self.slots[start] = Slot()
        slot.count(record, model_label(record.model) if record.model else None)
        self._changed.add(start)

    def expire(self) -> list[int]:
        """Forget the slots that left the window; their starts."""
        oldest = self.oldest()
        gone = [start for start in self.slots if start < oldest]
        for start in gone:
            del self.slots[start]
            self._changed.discard(start)
        return gone

    def oldest(self) -> int:
        return slot_start(self._clock()) - WINDOW_S + SLOT_S

    def take_changed(self) -> set[int]:
        changed, self._changed = self._changed, set()
        return changed
