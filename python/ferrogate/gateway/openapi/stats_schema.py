"""The JSON Schema of GET /admin/stats (ferrogate.stats.summary and the admin stats route)."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

_COUNT: Schema = {"type": "integer", "minimum": 0}
_RATIO: Schema = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
_MS: Schema = {"type": ["number", "null"], "minimum": 0}
_USD: Schema = {"type": "number", "minimum": 0}


def _object(properties: dict[str, Schema], description: str | None = None) -> Schema:
    schema: Schema = {"type": "object", "required": list(properties), "properties": properties}
    if description:
        schema["description"] = description
    return schema


def _series(items: Schema) -> Schema:
    return {"type": "array", "items": items, "description": "One value per slot, oldest first."}


_TRAFFIC = {
    "requests": _COUNT,
    "errors": _COUNT,
    "client_errors": _COUNT,
    "rps": {"type": "number", "minimum": 0},
    "error_rate": _RATIO,
}
_PERCENTILES = _object({"count": _COUNT, "p50": _MS, "p90": _MS, "p99": _MS})
_USAGE = {
    "requests": _COUNT,
    "prompt_tokens": _COUNT,
    "completion_tokens": _COUNT,
    "cost_usd": _USD,
}
_KEY_ROW: Schema = {
    "type": "object",
    "required": ["id", *_USAGE],
    "description": "Traffic in the window; spend and budget when the key store has the key.",
    "properties": {
        "id": {"type": "string"},
        **_USAGE,
        "name": {"type": ["string", "null"]},
        "spend_usd": _USD,
        "max_budget_usd": {"type": ["number", "null"]},
        "budget_period": {"type": ["string", "null"]},
        "budget_used": {"type": ["number", "null"], "minimum": 0},
    },
}
_DEPLOYMENT_ROW = _object(
    {
        "id": {"type": "string"},
        "model": {"type": "string"},
        "provider": {"type": "string"},
        "state": {"enum": ["closed", "open", "half-open"]},
        "cooldown_left_s": {"type": "number", "minimum": 0},
        "latency_estimate_ms": _MS,
        "attempts": _COUNT,
        "failed": _COUNT,
        "error_rate": _RATIO,
        "attempt_p50_ms": _MS,
        "attempt_p99_ms": _MS,
    }
)

STATS: Schema = _object(
    {
        "window_s": _COUNT,
        "slot_s": _COUNT,
        "generated_at": {"type": "number", "description": "Unix seconds."},
        "sources": _object(
            {
                "board": {"enum": ["process", "workers", "redis"]},
                "reachable": {"type": "boolean"},
                "workers": _COUNT,
            }
        ),
        "series": _object(
            {
                "start": _series({"type": "integer"}),
                "requests": _series(_COUNT),
                "errors": _series(_COUNT),
                "client_errors": _series(_COUNT),
                "rate_limited": _series(_COUNT),
                "rps": _series({"type": "number", "minimum": 0}),
                "error_rate": _series(_RATIO),
                "latency_p50_ms": _series(_MS),
                "latency_p99_ms": _series(_MS),
            }
        ),
        "totals": _object({**_TRAFFIC, "last_minute": _object(_TRAFFIC)}),
        "latency_ms": _object(
            {
                "end_to_end": _PERCENTILES,
                "overhead": _PERCENTILES,
                "time_to_first_token": _PERCENTILES,
            }
        ),
        "streams": {"type": "object", "additionalProperties": _COUNT},
        "cache": _object(
            {
                "lookups": _COUNT,
                "misses": _COUNT,
                "bypassed": _COUNT,
                "hits": {"type": "object", "additionalProperties": _COUNT},
                "hit_rate": _RATIO,
                "hit_rate_by_tier": {"type": "object", "additionalProperties": _RATIO},
                "similarity": _object(
                    {
                        "floor": {"type": "number"},
                        "step": {"type": "number"},
                        "counts": {"type": "array", "items": _COUNT},
                    }
                ),
            }
        ),
        "models": {"type": "array", "items": _object({"model": {"type": "string"}, **_USAGE})},
        "keys": {"type": "array", "items": _KEY_ROW},
        "rate_limited": _object({"requests": _COUNT, "tokens": _COUNT, "budget": _COUNT}),
        "routing": _object({"retries": _COUNT, "fallbacks": _COUNT, "hedges": _COUNT}),
        "deployments": {"type": "array", "items": _DEPLOYMENT_ROW},
    },
    "The last fifteen minutes of traffic from every worker (and every instance on Redis).",
)
