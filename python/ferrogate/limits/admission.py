"""The limiter interface the gateway uses: admit a request, later settle its tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from ferrogate.limits.policy import KeyLimits


@dataclass
class Admission:
    """A request let through; ``headers`` are OpenAI's ``x-ratelimit-*`` for the response."""

    key_id: str
    reserved_tokens: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    # The limits admitted under, so settle adjusts the same bucket.
    limits: KeyLimits | None = None
    # Which limiter admitted it: a Redis limiter in fail-open mode also admits locally.
    origin: Literal["local", "redis"] = "local"


class Limiter(Protocol):
    async def admit(self, limits: KeyLimits, tokens: int) -> Admission:
        """Take one request and ``tokens`` tokens, or raise ``RateLimited`` taking nothing."""
        ...

    def settle(self, admission: Admission, used_tokens: int) -> None:
        """Charge or refund the difference between the tokens used and those reserved.

        Synchronous in every limiter: the change is booked in memory and a shared store
        learns it later, so a settle never waits and needs no task of its own.
        """
        ...

    async def usage(self, limits: KeyLimits) -> dict:
        """``{"requests_remaining": .., "tokens_remaining": ..}`` now; ``None`` if unlimited."""
        ...

    async def aclose(self) -> None: ...
