"""What the mock's behaviour depends on, as one picklable value for Granian's workers."""

from dataclasses import dataclass, field

from .faults import Faults


@dataclass(frozen=True, slots=True)
class MockSettings:
    chunk_delay_ms: float = 0.0
    stream_chunks: int = 8
    faults: Faults = field(default_factory=Faults)  # at start-up; /_faults changes them
    seed: int | None = None  # of the fault dice; None: different faults every run
