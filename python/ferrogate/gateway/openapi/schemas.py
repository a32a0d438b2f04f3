"""The JSON Schemas (OpenAPI 3.1 dialect) of the bodies Ferrogate reads and writes.

Request schemas say what the gateway itself checks (anything else in a chat body is passed
to the provider, which judges it); response schemas say what every provider's answer is
mapped to, so one schema holds for OpenAI, Azure, Anthropic, Gemini and the demo model.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

NULLABLE_STRING: Schema = {"type": ["string", "null"]}
_TOKEN_COUNT: Schema = {"type": "integer", "minimum": 0}
_TOKEN_ARRAY: Schema = {
    "type": "array",
    "items": {"type": "integer", "minimum": 0},
    "minItems": 1,
}
# The largest count every upstream parses (Gemini reads output limits as int32).
_MAX_TOKENS: Schema = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
MESSAGE_ROLES = ["assistant", "developer", "function", "system", "tool", "user"]
FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter", "function_call", None]
BUDGET_PERIOD_PATTERN = "^[1-9][0-9]{0,5}(mo|m|h|d|w)$"


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


ERROR: Schema = {
    "type": "object",
    "description": "OpenAI's error object; every failure, the gateway's or an upstream's.",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type", "param", "code"],
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {**NULLABLE_STRING, "description": "the offending request field"},
                "code": NULLABLE_STRING,
            },
        }
    },
}

USAGE: Schema = {
    "type": "object",
    "required": ["prompt_tokens", "completion_tokens", "total_tokens"],
    "properties": {
        "prompt_tokens": _TOKEN_COUNT,
        "completion_tokens": _TOKEN_COUNT,
        "total_tokens": _TOKEN_COUNT,
    },
}

CHAT_MESSAGE: Schema = {
    "type": "object",
    "required": ["role"],
    "properties": {
        "role": {"enum": MESSAGE_ROLES},
        "content": {
            "description": "text, an array of content parts (text, image_url), or null",
            "type": ["string", "array", "null"],
            "items": {"type": "object"},
        },
        "name": {"type": "string"},
        "tool_calls": {"type": "array", "items": {"type": "object"}},
        "tool_call_id": {"type": "string"},
    },
}

CHAT_REQUEST: Schema = {
    "type": "object",
    "description": (
        "OpenAI's chat completion request. The gateway checks `model`, `messages`, `stream` "
        "and `stream_options`; it refuses `tools`, image parts and `response_format` for a "
        "model whose provider cannot honour them (400 `unsupported_capability`); every "
        "other field is passed on to the provider."
    ),
    "required": ["model", "messages"],
    "properties": {
        "model": {"type": "string", "minLength": 1, "examples": ["demo"]},
        "messages": {"type": "array", "minItems": 1, "items": ref("ChatMessage")},
        "stream": {"type": "boolean", "description": "true: the answer is an SSE stream"},
        "stream_options": {
            "type": "object",
            "description": "only with `stream: true`",
            "properties": {"include_usage": {"type": "boolean"}},
        },
        "temperature": {"type": "number", "minimum": 0, "maximum": 2},
        "top_p": {"type": "number", "minimum": 0, "maximum": 1},
        "max_tokens": _MAX_TOKENS,
        "max_completion_tokens": _MAX_TOKENS,
        "stop": {"type": ["string", "array"], "items": {"type": "string"}, "maxItems": 4},
        "seed": {"type": "integer"},
        "user": {"type": "string"},
        "tools": {"type": "array", "items": {"type": "object"}},
        "tool_choice": {"type": ["string", "object"]},
        "response_format": {"type": "object"},
    },
    # `stream_options` without `stream: true` is a 400, as at OpenAI.
    "anyOf": [
        {"not": {"required": ["stream_options"]}},
        {"required": ["stream"], "properties": {"stream": {"const": True}}},
    ],
    "examples": [{"model": "demo", "messages": [{"role": "user", "content": "Hello!"}]}],
}

CHAT_COMPLETION: Schema = {
    "type": "object",
    "required": ["id", "object", "created", "model", "choices"],
    "properties": {
        "id": {"type": "string"},
        "object": {"const": "chat.completion"},
        "created": {"type": "integer"},
        "model": {"type": "string"},
        "choices": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["index", "message", "finish_reason"],
                "properties": {
                    "index": {"type": "integer", "minimum": 0},
                    "message": {
                        "type": "object",
                        "required": ["role", "content"],
                        "properties": {
                            "role": {"const": "assistant"},
                            "content": NULLABLE_STRING,
                            "refusal": NULLABLE_STRING,
                            "tool_calls": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                    "finish_reason": {"enum": FINISH_REASONS},
                },
            },
        },
        "usage": ref("Usage"),
    },
}

CHAT_COMPLETION_CHUNK: Schema = {
    "type": "object",
    "description": "The `data:` of one SSE event; the stream ends with `data: [DONE]`.",
    "required": ["id", "object", "created", "model", "choices"],
    "properties": {
        "id": {"type": "string"},
        "object": {"const": "chat.completion.chunk"},
        "created": {"type": "integer"},
        "model": {"type": "string"},
        "choices": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["index", "delta"],
                "properties": {
                    "index": {"type": "integer", "minimum": 0},
                    "delta": {
                        "type": "object",
                        "properties": {
                            "role": {"const": "assistant"},
                            "content": NULLABLE_STRING,
                            "refusal": NULLABLE_STRING,
                            "tool_calls": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                    "finish_reason": {"enum": FINISH_REASONS},
                },
            },
        },
        "usage": {"anyOf": [ref("Usage"), {"type": "null"}]},
    },
}

CHAT_STREAM_EVENT: Schema = {
    "description": (
        "What one `data:` line of a chat stream holds: a chunk, or an error that ends a "
        "stream already started (followed by nothing); otherwise the last event is "
        "`data: [DONE]`."
    ),
    "oneOf": [ref("ChatCompletionChunk"), ref("Error")],
}

SSE_EVENT: Schema = {
    "type": "object",
    "description": (
        "One server-sent event of a chat stream, as OpenAPI 3.1 readers take `schema` of "
        "text/event-stream: its `data` is a ChatStreamEvent as JSON, or `[DONE]` at the end."
    ),
    "required": ["data"],
    "properties": {
        "data": {
            "type": "string",
            "if": {"const": "[DONE]"},
            "else": {
                "contentMediaType": "application/json",
                "contentSchema": ref("ChatStreamEvent"),
            },
        }
    },
}

EMBEDDINGS_REQUEST: Schema = {
    "type": "object",
    "required": ["model", "input"],
    "properties": {
        "model": {"type": "string", "minLength": 1, "examples": ["text-embedding-3-small"]},
        "input": {
            "anyOf": [
                {"type": "string", "minLength": 1},
                _TOKEN_ARRAY,
                {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 2048,
                    "items": {"anyOf": [{"type": "string", "minLength": 1}, _TOKEN_ARRAY]},
                },
            ]
        },
        "encoding_format": {"enum": ["float", "base64"]},
        "dimensions": {"type": "integer", "minimum": 1},
        "user": {"type": "string"},
    },
}

EMBEDDING_LIST: Schema = {
    "type": "object",
    "required": ["object", "data", "model", "usage"],
    "properties": {
        "object": {"const": "list"},
        "data": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["object", "index", "embedding"],
                "properties": {
                    "object": {"const": "embedding"},
                    "index": {"type": "integer", "minimum": 0},
                    "embedding": {
                        "description": "floats, or base64 of little-endian float32",
                        "anyOf": [
                            {"type": "array", "items": {"type": "number"}},
                            {"type": "string"},
                        ],
                    },
                },
            },
        },
        "model": {"type": "string"},
        "usage": {
            "type": "object",
            "required": ["prompt_tokens", "total_tokens"],
            "properties": {"prompt_tokens": _TOKEN_COUNT, "total_tokens": _TOKEN_COUNT},
        },
    },
}

MODEL_LIST: Schema = {
    "type": "object",
    "required": ["object", "data"],
    "properties": {
        "object": {"const": "list"},
        "data": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "object", "created", "owned_by"],
                "properties": {
                    "id": {"type": "string"},
                    "object": {"const": "model"},
                    "created": {"type": "integer"},
                    "owned_by": {"type": "string"},
                },
            },
        },
    },
}

HEALTH: Schema = {
    "type": "object",
    "required": ["status"],
    "properties": {"status": {"const": "ok"}},
}

READINESS: Schema = {
    "type": "object",
    "required": ["status", "checks"],
    "properties": {
        "status": {"enum": ["ready", "not_ready"]},
        "checks": {"type": "object", "additionalProperties": {"type": "boolean"}},
    },
}
