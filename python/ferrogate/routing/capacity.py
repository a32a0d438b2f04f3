"""A deployment's own requests and tokens per minute, so the router keeps under them.

Counted the way OpenAI's limiter counts at admission: one request, and the prompt plus
the output the request may produce (`max_tokens`, or the expected output). A deployment
with no room is skipped like one cooling down. The buckets are the key limiter's: in one
process the Rust core's, with a Redis URL shared by every instance (leases and all).
"""

from __future__ import annotations

from dataclasses import dataclass

from ferrogate.errors import RateLimited
from ferrogate.limits.admission import Limiter
from ferrogate.limits.policy import KeyLimits

from .candidates import RequestInfo


@dataclass(frozen=True, slots=True)
class DeploymentCapacity:
    deployment_id: str
    rpm: int | None
    tpm: int | None
    limiter: Limiter

    async def take(self, request: RequestInfo) -> RateLimited | None:
        """None when the attempt fits; otherwise the refusal, for when nothing else fits."""
        limits = KeyLimits(f"deployment:{self.deployment_id}", self.rpm, self.tpm)
        try:
            await self.limiter.admit(limits, request.prompt_tokens + request.output_tokens)
        except RateLimited as refusal:
            return RateLimited(
                f"Every deployment of this model is at its configured capacity. {refusal.message}",
                retry_after_s=refusal.retry_after_s,
                type=refusal.type,
            )
        return None
