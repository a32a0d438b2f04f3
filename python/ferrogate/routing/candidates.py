"""What a strategy knows about a request and about each deployment that could serve it.

The lead maps config deployments to ``Candidate`` values once at start-up; strategies only
read them, so one candidate list per alias is shared by every request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ferrogate.routing.health import UNWATCHED, HealthView


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """The parts of a chat request that decide which deployments can serve it."""

    prompt_tokens: int = 0
    max_output_tokens: int | None = None  # what the client asked for, if it did
    expected_output_tokens: int = 1024  # for cost estimates when the client did not say
    needs: frozenset[str] = frozenset()  # capabilities, e.g. {"tools", "vision"}

    @property
    def output_tokens(self) -> int:
        return self.max_output_tokens or self.expected_output_tokens


@dataclass(frozen=True, slots=True, eq=False)
class Candidate:
    """One deployment of an alias; ``deployment_id`` names it in latency and health records,
    so it must be unique across the gateway (and across instances sharing Redis)."""

    deployment_id: str
    target: Any = None  # what the router calls; strategies never look inside
    weight: float = 1.0
    priority: int = 0  # lower is tried first
    input_per_mtok: float | None = None  # USD; None: price unknown
    output_per_mtok: float | None = None
    context_window: int | None = None  # prompt plus output tokens; None: unknown, not checked
    capabilities: frozenset[str] | None = None  # None: undeclared, any need is assumed met
    accepts: Callable[[RequestInfo], bool] | None = None  # a further check, e.g. a provider's
    health: HealthView = field(default=UNWATCHED)

    def supports(self, request: RequestInfo) -> bool:
        if self.capabilities is not None and not request.needs <= self.capabilities:
            return False
        return self.accepts is None or self.accepts(request)

    def fits(self, request: RequestInfo) -> bool:
        """Whether the prompt and the output the client asked for fit the context window.

        Without ``max_output_tokens`` only the prompt must fit: the upstream then stops at
        the window's end, as OpenAI's API does, instead of refusing."""
        if self.context_window is None:
            return True
        return request.prompt_tokens + (request.max_output_tokens or 0) <= self.context_window

    def estimated_cost(self, request: RequestInfo) -> float | None:
        """USD for the prompt plus the expected output; None when a price is unknown."""
        if self.input_per_mtok is None or self.output_per_mtok is None:
            return None
        prompt = request.prompt_tokens * self.input_per_mtok
        return (prompt + request.output_tokens * self.output_per_mtok) / 1_000_000


def viable(candidates: Sequence[Candidate], request: RequestInfo) -> list[Candidate]:
    """The candidates worth trying now: capable, large enough and not cooling down."""
    return [
        c for c in candidates if c.supports(request) and c.fits(request) and c.health.available()
    ]
