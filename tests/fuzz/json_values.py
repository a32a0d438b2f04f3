"""Hypothesis strategies for JSON: arbitrary values, and valid samples with a few edits.

Arbitrary values find crashes on shapes nobody expected; edited samples ("almost valid")
get past the first checks and reach the code behind them. Both draw from the words the
translators look for, so a random key or string often takes a real branch.
"""

from __future__ import annotations

import copy
from typing import Any

import orjson
from hypothesis import strategies as st

KEYS = (
    # OpenAI requests
    "model", "messages", "role", "content", "type", "text", "image_url", "url", "detail",
    "tool_calls", "id", "function", "name", "arguments", "tool_call_id", "tools",
    "parameters", "description", "tool_choice", "response_format", "json_schema", "schema",
    "stop", "user", "n", "logprobs", "top_logprobs", "audio", "max_tokens",
    "max_completion_tokens", "temperature", "top_p", "seed", "parallel_tool_calls", "stream",
    "stream_options", "include_usage", "input", "encoding_format", "dimensions",
    # Anthropic answers and events
    "stop_reason", "usage", "input_tokens", "output_tokens", "cache_read_input_tokens",
    "cache_creation_input_tokens", "message", "delta", "index", "content_block",
    "partial_json", "error",
    # Gemini answers and events
    "candidates", "parts", "functionCall", "args", "thoughtSignature", "thought",
    "finishReason", "usageMetadata", "promptTokenCount", "candidatesTokenCount",
    "totalTokenCount", "thoughtsTokenCount", "promptFeedback", "blockReason",
    "modelVersion", "responseId", "embedding", "embeddings", "values", "code", "status",
    "details", "reason", "@type", "retryDelay",
)  # fmt: skip

WORDS = (
    "system", "developer", "user", "assistant", "tool", "function", "text", "image_url",
    "tool_use", "tool_result", "json_object", "json_schema", "auto", "none", "required",
    "float", "base64", "end_turn", "max_tokens", "json_response", "STOP", "MAX_TOKENS",
    "SAFETY", "INVALID_ARGUMENT", "RESOURCE_EXHAUSTED", "API_KEY_INVALID",
    "type.googleapis.com/google.rpc.RetryInfo", "7.25s", "infs", "1e999s",
    "data:image/png;base64,iVBORw0KGgo=", "data:;base64,", "data:image/png,abc",
    "data:image/svg+xml;base64,PHN2Zz4=", "https://example.com/cat.png", "http://x",
    "ftp://x", "{}", '{"a": 1}', "[1]", "null", "", "__sig__", "call_1__sig__c2ln",
    "text_delta", "input_json_delta", "message_start", "content_block_delta",
)  # fmt: skip

# orjson reads integers from -2^63 to 2^64 - 1; larger ones arrive as floats.
integers_64 = st.integers(min_value=-(2**63), max_value=2**64 - 1)

_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-3, max_value=5)
    | integers_64
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(WORDS)
    | st.text(max_size=12)
)

keys = st.sampled_from(KEYS) | st.text(max_size=8)

json_values = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=12,
)

json_objects = st.dictionaries(keys, json_values, max_size=8)

# What an edit puts in place of a value: a container as often as a scalar, since code that
# expects a string or a number fails most often on a list or an object.
_REPLACEMENTS = (
    json_values | st.lists(json_values, max_size=2) | st.dictionaries(keys, json_values, max_size=2)
)


@st.composite
def edited(draw: st.DrawFn, sample: Any, max_edits: int = 3) -> Any:
    """`sample` with one to `max_edits` edits: a value replaced, removed or added anywhere."""
    value = copy.deepcopy(sample)
    for _ in range(draw(st.integers(min_value=1, max_value=max_edits))):
        value = _edit(draw, value)
    return value


def _edit(draw: st.DrawFn, value: Any) -> Any:
    # Three times in four, go one level deeper, so deep fields get edited as often as the top.
    if isinstance(value, dict | list) and value and draw(st.integers(0, 3)) > 0:
        where = draw(
            st.sampled_from(list(value.keys()) if isinstance(value, dict) else range(len(value)))
        )
        value[where] = _edit(draw, value[where])
        return value
    action = draw(st.sampled_from(("replace", "remove", "add")))
    if action == "remove" and isinstance(value, dict | list) and value:
        if isinstance(value, dict):
            del value[draw(st.sampled_from(list(value.keys())))]
        else:
            del value[draw(st.integers(0, len(value) - 1))]
        return value
    if action == "add" and isinstance(value, dict):
        value[draw(keys)] = draw(_REPLACEMENTS)
        return value
    if action == "add" and isinstance(value, list):
        value.append(draw(_REPLACEMENTS))
        return value
    return draw(_REPLACEMENTS)


def is_object(value: Any) -> bool:
    return isinstance(value, dict)


def as_bytes(value: Any) -> bytes:
    return orjson.dumps(value)
