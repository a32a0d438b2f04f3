"""The JSON Schemas of the admin API's bodies: virtual keys and cache flushes."""

from __future__ import annotations

from .schemas import BUDGET_PERIOD_PATTERN, NULLABLE_STRING, Schema, ref

_KEY_FIELDS: dict[str, Schema] = {
    "models": {
        "type": ["array", "null"],
        "items": {"type": "string", "minLength": 1},
        "maxItems": 1000,
        "description": "models the key may use; empty or null: every model",
    },
    "rpm": {"type": ["integer", "null"], "minimum": 1},
    "tpm": {"type": ["integer", "null"], "minimum": 1},
    "max_budget_usd": {"type": ["number", "null"], "minimum": 0},
    "budget_period": {
        "type": ["string", "null"],
        "pattern": BUDGET_PERIOD_PATTERN,
        "description": "45m, 12h, 30d, 1w, 1mo; null: the budget is for the key's lifetime",
    },
    "expires_at": {
        "description": "unix seconds or ISO 8601 (UTC when no offset is given)",
        "anyOf": [
            {"type": "number", "exclusiveMinimum": 0},
            {"type": "string", "format": "date-time"},
            {"type": "null"},
        ],
    },
    "metadata": {
        "type": ["object", "null"],
        "description": "any JSON object up to 4096 bytes; replaced whole on PATCH",
    },
}

KEY_FIELDS_REQUEST: Schema = {
    "type": "object",
    "description": (
        "POST: every field optional. PATCH: only the fields given change; null clears one."
    ),
    "properties": _KEY_FIELDS,
    "additionalProperties": False,
}

KEY_VIEW: Schema = {
    "type": "object",
    "description": "A key as the admin API shows it: never its secret or the secret's hash.",
    "required": ["id", "created_at", "models", "usage", "spend_usd"],
    "properties": {
        "id": {"type": "string"},
        "created_at": {"type": "number"},
        "models": {"type": "array", "items": {"type": "string"}},
        "rpm": {"type": ["integer", "null"]},
        "tpm": {"type": ["integer", "null"]},
        "max_budget_usd": {"type": ["number", "null"]},
        "budget_period": NULLABLE_STRING,
        "expires_at": {"type": ["number", "null"]},
        "metadata": {"type": "object"},
        "usage": {"type": "object", "description": "requests and tokens left this minute"},
        "spend_usd": {"type": "number", "minimum": 0},
    },
    "not": {"anyOf": [{"required": ["key"]}, {"required": ["secret_hash"]}]},
}

KEY_WITH_SECRET: Schema = {
    "type": "object",
    "description": "The key's fields and its secret `key`, shown this once.",
    "required": ["id", "created_at", "key"],
    "properties": {
        "id": {"type": "string"},
        "created_at": {"type": "number"},
        "key": {"type": "string", "pattern": "^fg-"},
    },
}

KEY_LIST: Schema = {
    "type": "object",
    "required": ["object", "data"],
    "properties": {"object": {"const": "list"}, "data": {"type": "array", "items": ref("Key")}},
}

KEY_DELETED: Schema = {
    "type": "object",
    "required": ["id", "object", "deleted"],
    "properties": {
        "id": {"type": "string"},
        "object": {"const": "key"},
        "deleted": {"const": True},
    },
}

CACHE_FLUSHED: Schema = {
    "type": "object",
    "required": ["namespace", "flushed", "removed"],
    "properties": {
        "namespace": {"type": "string"},
        "flushed": {"const": True},
        "removed": {
            "type": "object",
            "description": "entries removed per cache tier",
            "additionalProperties": {"type": ["integer", "null"]},
        },
    },
}
