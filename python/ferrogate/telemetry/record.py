"""One request's facts, filled in by the gateway's stages and read by every telemetry sink."""

from __future__ import annotations

from dataclasses import dataclass, field
from time import perf_counter
from typing import Any, Literal

# How a request ended, as a client would tell it.
Outcome = Literal[
    "completed",  # answered in full (a stream reached [DONE])
    "failed",  # an error answer, or an error event ending a stream
    "cancelled",  # the client left before the end
    "timed_out",  # a stream idle for longer than allowed, ended with an error event
]


@dataclass(slots=True)
class RequestRecord:
    request_id: str
    route: str  # "chat", "embeddings", "models", "admin", "other"
    started_unix: float  # wall clock, for logs
    key_id: str | None = None
    model: str | None = None  # what the client asked for
    deployment: str | None = None  # the deployment id that answered
    provider: str | None = None
    upstream_model: str | None = None
    stream: bool = False
    status: int = 0  # the HTTP status sent
    outcome: Outcome = "completed"
    error_code: str | None = None  # the error's `code`, when one was sent
    cache: str | None = None  # miss | hit-exact | hit-l1 | hit-l2 | bypass; None: cache off
    cache_similarity: float | None = None
    attempts: int = 0  # upstream attempts, hedges included
    retries: int = 0
    fallbacks: int = 0  # deployments given up on before the one that answered
    hedged: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    rate_limited: str | None = None  # "requests", "tokens" or "budget" when refused for it
    upstream_s: float = 0.0  # waited on upstreams before the answer started
    duration_s: float = 0.0  # first byte in to last byte out
    overhead_s: float = 0.0  # the gateway's own share of duration_s
    ttft_s: float | None = None  # streams: until the first chunk went out
    inter_token_s: list[float] = field(default_factory=list)  # streams: gaps between chunks
    stages_s: dict[str, float] = field(default_factory=dict)  # parse, auth, limits, cache, ...
    prompt_text: str | None = None  # only when the usage log is told to keep text
    answer_text: str | None = None
    # Filled by the provider while a stream runs (a `StreamUsage`); read when it ends.
    stream_usage: Any = None
    # A streamed chat request's body: its prompt is counted locally if no usage comes.
    chat_body: Any = None
    # For traces: perf_counter() at the start, each stage's and attempt's (start, end).
    started_perf: float = 0.0
    stage_spans: list[tuple[str, float, float]] = field(default_factory=list)
    attempt_log: list[tuple[str, str, float, float, str | None]] = field(default_factory=list)
    trace: Any = None  # the request's span, when tracing is on

    def stage(self, name: str, started: float) -> None:
        """Close the stage `name` that began at `started` (perf_counter)."""
        now = perf_counter()
        self.stages_s[name] = now - started
        self.stage_spans.append((name, started, now))
