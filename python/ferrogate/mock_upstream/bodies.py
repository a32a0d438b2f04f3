"""Canned pieces of realistic OpenAI response bodies.

Everything here is data: the reply the mock "generates", the model list it
advertises, and the fixed parts of usage. The wire layout lives in chat.py.
"""

SYSTEM_FINGERPRINT = "fp_7a1b2c3d4e"

# One entry per completion token; the reply is the first K of these, cycled,
# so `--stream-chunks K` always yields K content deltas and K completion tokens.
REPLY_TOKENS = (
    "Hello",
    "!",
    " It's",
    " nice",
    " to",
    " meet",
    " you",
    ".",
    " How",
    " can",
    " I",
    " help",
    " you",
    " today",
    "?",
    " I",
    " can",
    " answer",
    " questions",
    ",",
    " draft",
    " text",
    ",",
    " or",
    " explain",
    " code",
    ".",
)

# Token count of the benchmark prompt ("Say hello in one short sentence.") as
# gpt-4o counts it with the chat template; every request reports it.
PROMPT_TOKENS = 14

MODELS = (
    ("gpt-4o", 1715367049),
    ("gpt-4o-mini", 1721172741),
    ("gpt-4.1", 1744316542),
    ("gpt-4.1-mini", 1744318173),
    ("text-embedding-3-small", 1705948997),
    ("text-embedding-3-large", 1705953180),
)

EMBEDDING_DIMENSIONS = 1536


def reply_tokens(count: int) -> list[str]:
    """The first `count` reply tokens, cycling through REPLY_TOKENS."""
    return [REPLY_TOKENS[i % len(REPLY_TOKENS)] for i in range(count)]


def prompt_tokens_details() -> dict[str, int]:
    return {"cached_tokens": 0, "audio_tokens": 0}


def completion_tokens_details() -> dict[str, int]:
    return {
        "reasoning_tokens": 0,
        "audio_tokens": 0,
        "accepted_prediction_tokens": 0,
        "rejected_prediction_tokens": 0,
    }


def chat_usage(completion_tokens: int) -> dict[str, object]:
    return {
        "prompt_tokens": PROMPT_TOKENS,
        "completion_tokens": completion_tokens,
        "total_tokens": PROMPT_TOKENS + completion_tokens,
        "prompt_tokens_details": prompt_tokens_details(),
        "completion_tokens_details": completion_tokens_details(),
    }


def models_list() -> dict[str, object]:
    data = [
        {"id": name, "object": "model", "created": created, "owned_by": "system"}
        for name, created in MODELS
    ]
    return {"object": "list", "data": data}
