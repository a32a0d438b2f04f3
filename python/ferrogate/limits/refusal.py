"""The 429 a refused request gets, worded like OpenAI's."""

from __future__ import annotations

import math
from collections.abc import Iterable

from ferrogate.errors import RateLimited
from ferrogate.limits.openai_headers import openai_duration, rate_limit_headers
from ferrogate.limits.policy import Bucket, Reading, whole

_UNITS = {"requests": "requests per minute (RPM)", "tokens": "tokens per minute (TPM)"}


def refusal(
    bucket: Bucket, remaining: float, requested: float, retry_after_s: float,
    readings: Iterable[Reading],
) -> RateLimited:  # fmt: skip
    """``RateLimited`` for ``bucket``, carrying the headers of every bucket of the key."""
    units = _UNITS[bucket.kind]
    if math.isinf(retry_after_s):
        message = (
            f"Request too large for {units}: Limit {bucket.limit}, Requested {int(requested)}. "
            "The input or output tokens must be reduced in order to run successfully."
        )
    else:
        used = max(bucket.limit - whole(remaining), 0)
        message = (
            f"Rate limit reached for {units}: Limit {bucket.limit}, Used {used}, "
            f"Requested {int(requested)}. Please try again in {openai_duration(retry_after_s)}."
        )
    error = RateLimited(message, retry_after_s=retry_after_s, type=bucket.kind)
    error.headers.extend(rate_limit_headers(readings))
    return error
