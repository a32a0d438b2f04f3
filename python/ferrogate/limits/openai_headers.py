"""OpenAI's ``x-ratelimit-*`` headers and the duration format they use (``1s``, ``6m0s``)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from ferrogate.limits.policy import Reading, whole


def openai_duration(seconds: float) -> str:
    """``20ms``, ``1.2s``, ``6m0s``, ``1h0m0s``: rounded up to the millisecond, so waiting
    the time shown is always enough."""
    if not seconds > 0:
        return "0s"
    # NOTE: the small epsilon keeps 1.2 (1200.0000000000002 ms in floating point) at 1.2s.
    ms = math.ceil(seconds * 1000 - 1e-6)
    if ms < 1000:
        return f"{ms}ms"
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs = f"{ms / 1000:.3f}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{hours}h{minutes}m{secs}"
    if minutes:
        return f"{minutes}m{secs}"
    return secs


def rate_limit_headers(readings: Iterable[Reading]) -> list[tuple[str, str]]:
    """The limit, remaining and reset trio for each limited bucket."""
    headers = []
    for reading in readings:
        kind = reading.bucket.kind
        headers += [
            (f"x-ratelimit-limit-{kind}", str(reading.bucket.limit)),
            (f"x-ratelimit-remaining-{kind}", str(whole(reading.remaining))),
            (f"x-ratelimit-reset-{kind}", openai_duration(reading.reset_s)),
        ]
    return headers
