"""One request's usage-log line: the record's facts as a JSON object, durations in ms."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from .record import RequestRecord

# `ts` as "2025-01-02T03:04:05.678901Z": orjson writes the datetime itself, faster than
# isoformat() and a string in the dict.
_OPTIONS = orjson.OPT_UTC_Z


def usage_line(record: RequestRecord, *, include_text: bool = False) -> bytes:
    """The JSON object, without a newline; prompt and answer text only with ``include_text``."""
    fields = {
        "request_id": record.request_id,
        "ts": datetime.fromtimestamp(record.started_unix, UTC),
        "key_id": record.key_id,
        "model": record.model,
        "deployment": record.deployment,
        "provider": record.provider,
        "upstream_model": record.upstream_model,
        "stream": record.stream,
        "status": record.status,
        "outcome": record.outcome,
        "error_code": record.error_code,
        "cache": record.cache,
        "cache_similarity": record.cache_similarity,
        "attempts": record.attempts,
        "retries": record.retries,
        "fallbacks": record.fallbacks,
        "hedged": record.hedged,
        "prompt_tokens": record.prompt_tokens,
        "completion_tokens": record.completion_tokens,
        "total_tokens": record.prompt_tokens + record.completion_tokens,
        "cost_usd": record.cost_usd,
        "rate_limited": record.rate_limited,
        "duration_ms": _ms(record.duration_s),
        "overhead_ms": _ms(record.overhead_s),
        "ttft_ms": None if record.ttft_s is None else _ms(record.ttft_s),
        "stages_ms": {stage: _ms(seconds) for stage, seconds in record.stages_s.items()},
    }
    if include_text:
        fields["prompt_text"] = record.prompt_text
        fields["answer_text"] = record.answer_text
    return orjson.dumps(fields, option=_OPTIONS)


def _ms(seconds: float) -> float:
    # Whole microseconds: finer digits are clock noise and only lengthen the line. int() and
    # a division cost a third of round(x, 3), which adds up over a dozen durations a line.
    return int(seconds * 1_000_000.0 + 0.5) / 1000.0
