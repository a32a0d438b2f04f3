"""What a finished request says about itself on its span, after the gen_ai semantic conventions.

Only facts that are bounded and safe go here: ids from config, counts, statuses and error
codes. Never prompt or answer text, never key material, never client headers.
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.trace import Status, StatusCode

from .record import RequestRecord

# The semconv `gen_ai.operation.name` for the routes that talk to a model.
_OPERATIONS = {"chat": "chat", "embeddings": "embeddings"}

# A client may ask for any model name; cut it so one request can't bloat a span.
_MAX_MODEL_LENGTH = 128


def record_attributes(
    record: RequestRecord, finish_reasons: Sequence[str] = ()
) -> dict[str, str | int | float | bool | list[str]]:
    attributes: dict[str, str | int | float | bool | list[str]] = {
        "http.response.status_code": record.status,
        "ferrogate.route": record.route,
        "ferrogate.outcome": record.outcome,
        "ferrogate.attempts": record.attempts,
    }
    operation = _OPERATIONS.get(record.route)
    if operation is not None:
        attributes.update(_model_attributes(record, operation))
    if finish_reasons:
        attributes["gen_ai.response.finish_reasons"] = list(finish_reasons)
    attributes.update(_optional_attributes(record))
    return attributes


def _model_attributes(record: RequestRecord, operation: str) -> dict[str, str | int | float]:
    attributes: dict[str, str | int | float] = {
        "gen_ai.operation.name": operation,
        "gen_ai.usage.input_tokens": record.prompt_tokens,
        "gen_ai.usage.output_tokens": record.completion_tokens,
        "ferrogate.cost_usd": record.cost_usd,
        "ferrogate.stream": record.stream,
    }
    if record.model is not None:
        attributes["gen_ai.request.model"] = record.model[:_MAX_MODEL_LENGTH]
    if record.upstream_model is not None:
        attributes["gen_ai.response.model"] = record.upstream_model
    if record.provider is not None:
        # `gen_ai.system` is what the brief and most back ends read today; newer semconv
        # renamed it `gen_ai.provider.name`, so both are set until back ends catch up.
        attributes["gen_ai.system"] = record.provider
        attributes["gen_ai.provider.name"] = record.provider
    return attributes


def _optional_attributes(record: RequestRecord) -> dict[str, str | int | float | bool]:
    attributes: dict[str, str | int | float | bool] = {}
    if record.deployment is not None:
        attributes["ferrogate.deployment"] = record.deployment
    if record.cache is not None:
        attributes["ferrogate.cache"] = record.cache
    if record.cache_similarity is not None:
        attributes["ferrogate.cache_similarity"] = record.cache_similarity
    if record.retries:
        attributes["ferrogate.retries"] = record.retries
    if record.fallbacks:
        attributes["ferrogate.fallbacks"] = record.fallbacks
    if record.hedged:
        attributes["ferrogate.hedged"] = True
    if record.rate_limited is not None:
        attributes["ferrogate.rate_limited"] = record.rate_limited
    if record.error_code is not None:
        attributes["error.type"] = record.error_code
    return attributes


def record_status(record: RequestRecord) -> Status | None:
    """ERROR for what the gateway or its upstreams got wrong; None leaves the status unset.

    Following the HTTP server conventions, a 4xx answer is the client's doing and not an
    error of this span. A stream that began with 200 and then broke or went idle is one.
    A client that left is not a failure either.
    """
    broke = record.outcome in ("failed", "timed_out")
    if record.status >= 500 or (broke and record.status < 400):
        return Status(StatusCode.ERROR, record.error_code or record.outcome)
    return None
