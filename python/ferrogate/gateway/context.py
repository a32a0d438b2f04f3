"""What the gateway knows about a request besides its bytes, handed to every route."""

from __future__ import annotations

from dataclasses import dataclass

from ferrogate.telemetry import RequestRecord

from .auth import Caller


@dataclass(slots=True)
class RequestContext:
    request_id: str
    started: float  # perf_counter() when the request reached the core
    caller: Caller
    record: RequestRecord  # what the stages did, for metrics, traces and the usage log
