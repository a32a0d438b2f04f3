"""When to try a deployment again, and how long to wait first.

Backoff is exponential with full jitter (a uniform draw between 0 and the exponential
step), which spreads the retries of many clients hit by one outage instead of sending them
back together. An upstream's ``retry-after`` sets the least wait; one longer than
``max_retry_after_s`` is not waited for: ``should_retry`` says no, and the router moves on
to the next deployment.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from ferrogate.errors import GatewayError


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2  # attempts on one deployment after the first
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    max_retry_after_s: float = 30.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def delay(self, attempt: int, retry_after_s: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1 for the first retry)."""
        step = min(self.max_delay_s, self.base_delay_s * 2 ** max(0, attempt - 1))
        jittered = self.rng.uniform(0.0, step)
        if retry_after_s is None:
            return jittered
        return min(max(retry_after_s, jittered), self.max_retry_after_s)

    def should_retry(self, error: BaseException) -> bool:
        """Connection errors, timeouts, 429 and 5xx yes (the error's ``retryable``); other
        4xx and the gateway's own refusals never; nor a ``retry-after`` too long to wait."""
        if not isinstance(error, GatewayError) or not error.retryable:
            return False
        retry_after = retry_after_of(error)
        return retry_after is None or retry_after <= self.max_retry_after_s


def retry_after_of(error: GatewayError) -> float | None:
    """Seconds the upstream asked to wait, from ``retry-after-ms`` or ``retry-after``
    (seconds or an HTTP date) among the error's headers; None when it did not say."""
    headers = {name.lower(): value for name, value in error.headers}
    if "retry-after-ms" in headers:
        seconds = _number(headers["retry-after-ms"])
        if seconds is not None:
            return seconds / 1000
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    return seconds if seconds is not None else _seconds_until(value)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value >= 0 else None


def _seconds_until(http_date: str) -> float | None:
    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
