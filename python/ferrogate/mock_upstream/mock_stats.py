"""What a mock process has seen, for `GET /_stats`: tests assert on it (one worker's view)."""

from __future__ import annotations

from dataclasses import dataclass, field

FAULT_KINDS = ("status", "reset", "cut", "latency", "slow_first_token")


@dataclass
class MockStats:
    requests: int = 0  # model requests received (not /v1/models, not /_faults or /_stats)
    cancelled_by_client: int = 0  # the client closed before the answer's end
    streams_started: int = 0  # stream headers sent
    streams_completed: int = 0  # every event sent
    streams_cancelled: int = 0  # the client closed after the headers, before the end
    faults: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FAULT_KINDS, 0))

    def as_json(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "cancelled_by_client": self.cancelled_by_client,
            "streams_started": self.streams_started,
            "streams_completed": self.streams_completed,
            "streams_cancelled": self.streams_cancelled,
            "faults": dict(self.faults),
        }
