"""The faults rolled for the request being answered, where the stream writers find them.

A context variable rather than a parameter: each RSGI request runs in its own task, and
the providers' handlers need not know about faults to have their streams cut or slowed.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from .fault_dice import Roll
from .mock_stats import MockStats


@dataclass(frozen=True, slots=True)
class RequestFaults:
    roll: Roll | None  # None: no faults configured, answer at full speed
    client: str  # the scope's peer address, to find the connection to drop
    stats: MockStats


CURRENT: ContextVar[RequestFaults | None] = ContextVar("mock_request_faults", default=None)
