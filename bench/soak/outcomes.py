"""What happened to each request of the soak, counted across the load process and the runner.

The load generator runs in a process of its own (so that its CPU is not the runner's and its
event loop is not slowed by sampling); the counts live in shared memory that it increments
and the runner reads. One writer per slot and reads of aligned 64-bit words: no lock needed.
"""

import multiprocessing
from dataclasses import dataclass

# The order is the order of the report line.
OUTCOMES = (
    "2xx",  # a whole answer: a JSON body, or a stream that ended with [DONE]
    "429",  # rate limited (the low-rpm key), expected
    "5xx",  # the upstream's faults that reached the client (no retry left)
    "left",  # a stream the client left after its first chunk, on purpose
    "cut",  # a 200 stream that ended with an error event (the mock cut it)
    "other",  # any other status, a stream that ended silently, or a transport error
    "skipped",  # the generator could not send on time: every connection was busy
)


@dataclass(frozen=True)
class Counts:
    values: dict[str, int]

    def __getitem__(self, outcome: str) -> int:
        return self.values[outcome]

    @property
    def sent(self) -> int:
        return sum(count for outcome, count in self.values.items() if outcome != "skipped")

    def line(self) -> str:
        return " ".join(f"{outcome}={count}" for outcome, count in self.values.items())


class SharedCounts:
    """Counters in shared memory, picklable into a spawned process."""

    def __init__(self) -> None:
        self._slots = multiprocessing.get_context("spawn").Array("q", len(OUTCOMES), lock=False)

    def add(self, outcome: str) -> None:
        self._slots[OUTCOMES.index(outcome)] += 1

    def read(self) -> Counts:
        return Counts(dict(zip(OUTCOMES, self._slots[:], strict=True)))
