"""What the mock's behaviour depends on, as one picklable value for Granian's workers."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MockSettings:
    latency_ms: float = 0.0
    chunk_delay_ms: float = 0.0
    stream_chunks: int = 8
