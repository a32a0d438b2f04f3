"""One request's usage-log line: the record's facts under fixed keys, durations in ms.

The line is written by the core's `JsonLines` from a row of values, not built as a dict and
encoded: that cost about 7 µs a request, and each encoded line then waited in the queue as
its own bytes object. The keys below and the row's values go in the same order.
"""

from __future__ import annotations

from .record import RequestRecord

# (key, kind): `value` as it is, `unix_time` as an ISO 8601 UTC string to the microsecond,
# `ms` seconds as milliseconds to the microsecond, `ms_map` a dict of such durations.
FIELDS: tuple[tuple[str, str], ...] = (
    ("request_id", "value"),
    ("ts", "unix_time"),
    ("key_id", "value"),
    ("model", "value"),
    ("deployment", "value"),
    ("provider", "value"),
    ("upstream_model", "value"),
    ("stream", "value"),
    ("status", "value"),
    ("outcome", "value"),
    ("error_code", "value"),
    ("cache", "value"),
    ("cache_similarity", "value"),
    ("attempts", "value"),
    ("retries", "value"),
    ("fallbacks", "value"),
    ("hedged", "value"),
    ("prompt_tokens", "value"),
    ("completion_tokens", "value"),
    ("total_tokens", "value"),
    ("cost_usd", "value"),
    ("rate_limited", "value"),
    ("duration_ms", "ms"),
    ("overhead_ms", "ms"),
    ("ttft_ms", "ms"),
    ("stages_ms", "ms_map"),
)
TEXT_FIELDS: tuple[tuple[str, str], ...] = (("prompt_text", "value"), ("answer_text", "value"))


def usage_fields(*, include_text: bool) -> list[tuple[str, str]]:
    return [*FIELDS, *TEXT_FIELDS] if include_text else list(FIELDS)


def usage_row(record: RequestRecord) -> tuple:
    """The values of `FIELDS`, in order."""
    return (
        record.request_id,
        record.started_unix,
        record.key_id,
        record.model,
        record.deployment,
        record.provider,
        record.upstream_model,
        record.stream,
        record.status,
        record.outcome,
        record.error_code,
        record.cache,
        record.cache_similarity,
        record.attempts,
        record.retries,
        record.fallbacks,
        record.hedged,
        record.prompt_tokens,
        record.completion_tokens,
        record.prompt_tokens + record.completion_tokens,
        record.cost_usd,
        record.rate_limited,
        record.duration_s,
        record.overhead_s,
        record.ttft_s,
        record.stages_s,
    )


def usage_row_with_text(record: RequestRecord) -> tuple:
    """The values of `FIELDS` and `TEXT_FIELDS`, in order."""
    return (*usage_row(record), record.prompt_text, record.answer_text)
