"""Token counts of chat requests and texts, for reserving tokens before a request goes upstream.

Counting runs in the Rust core (``ferrogate.core.count_tokens``) with OpenAI's own encodings,
chosen by the upstream model:

- ``o200k_base``: gpt-4o, gpt-4.1, gpt-4.5, gpt-5, chatgpt-4o and the o1, o3, o4 models;
- ``cl100k_base``: the other gpt-4 and gpt-3.5 models and text-embedding models.

Every other model (Anthropic, Gemini, the demo model, anything unknown) is counted with
``o200k_base`` as an estimate: their tokenizers are not public, so the count is close but not
exact. The provider's reported usage settles the difference after the answer.

A chat request is framed as OpenAI's cookbook counts it: 3 tokens per message, the tokens of
each of its string fields (role, content, name and the rest), 1 more for a ``name``, and 3 that
prime the reply. Beyond the cookbook:

- a content part that is not text (an image, audio, a file) counts a fixed 85 tokens, the cost
  of one low-detail image tile: the true cost depends on sizes the gateway does not decode;
- tool calls in messages and the request's tool definitions count as their compact JSON text,
  which is close to, not exactly, how the provider renders them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import msgspec

from ferrogate.core import count_tokens

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING_TOKENS = 3
NON_TEXT_PART_TOKENS = 85

# Checked in order, so "gpt-4o" is found before the wider "gpt-4".
_ENCODING_BY_PREFIX = (
    ("gpt-4o", "o200k_base"),
    ("gpt-4.1", "o200k_base"),
    ("gpt-4.5", "o200k_base"),
    ("gpt-5", "o200k_base"),
    ("chatgpt-4o", "o200k_base"),
    ("o1", "o200k_base"),
    ("o3", "o200k_base"),
    ("o4", "o200k_base"),
    ("gpt-4", "cl100k_base"),
    ("gpt-3.5", "cl100k_base"),
    ("gpt-35", "cl100k_base"),  # Azure's spelling of gpt-3.5
    ("text-embedding-", "cl100k_base"),
)
_ESTIMATE_ENCODING = "o200k_base"
# A text part keeps its text under the field its type names.
_TEXT_PART_TYPES = ("text", "refusal")


@lru_cache(maxsize=1024)
def encoding_for(upstream_model: str) -> str:
    """The encoding for ``upstream_model``, ignoring a provider prefix such as ``openai/``."""
    name = upstream_model.rsplit("/", 1)[-1].lower()
    for prefix, encoding in _ENCODING_BY_PREFIX:
        if name.startswith(prefix):
            return encoding
    return _ESTIMATE_ENCODING


def encodings_for(upstream_models: Iterable[str]) -> set[str]:
    """The encodings that counting for ``upstream_models`` uses."""
    return {encoding_for(model) for model in upstream_models}


def preload(upstream_models: Iterable[str]) -> None:
    """Decode the tables of the encodings ``upstream_models`` use now (about 50 ms for
    o200k_base and 25 ms for cl100k_base on a 2-core machine), at startup, rather than in the
    first request that needs each.

    NOTE: only those: the decoded tables take 66 MiB of memory for o200k_base and 30 MiB for
    cl100k_base in each process, so a gateway whose models never count with cl100k_base
    does not carry it. An encoding left out still loads on its first use.
    """
    for encoding in encodings_for(upstream_models):
        count_tokens("", encoding)


def text_tokens(text: str, upstream_model: str) -> int:
    """The tokens of ``text`` for ``upstream_model`` (an estimate for non-OpenAI models)."""
    return count_tokens(text, encoding_for(upstream_model))


def prompt_tokens(body: dict, upstream_model: str) -> int:
    """The prompt tokens of a chat completion request: its messages and tool definitions."""
    encoding = encoding_for(upstream_model)
    messages = body.get("messages")
    total = REPLY_PRIMING_TOKENS
    if isinstance(messages, list):
        total += sum(_message_tokens(m, encoding) for m in messages if isinstance(m, dict))
    for field in ("tools", "functions"):
        if body.get(field):
            total += _json_tokens(body[field], encoding)
    return total


def reserve_tokens(body: dict, upstream_model: str, expected_output: int) -> int:
    """Tokens to reserve at admission: the prompt plus the output the request may produce.

    The output is ``max_completion_tokens``, else ``max_tokens``, else ``expected_output``.
    """
    return prompt_tokens(body, upstream_model) + _output_allowance(body, expected_output)


def _output_allowance(body: dict, expected_output: int) -> int:
    for field in ("max_completion_tokens", "max_tokens"):
        value = body.get(field)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return expected_output


def _message_tokens(message: dict, encoding: str) -> int:
    total = TOKENS_PER_MESSAGE
    for field, value in message.items():
        if isinstance(value, str):
            total += count_tokens(value, encoding)
            if field == "name":
                total += TOKENS_PER_NAME
        elif field == "content" and isinstance(value, list):
            total += sum(_part_tokens(part, encoding) for part in value)
        elif value is not None:
            total += _json_tokens(value, encoding)
    return total


def _part_tokens(part: Any, encoding: str) -> int:
    if isinstance(part, str):
        return count_tokens(part, encoding)
    if not isinstance(part, dict):
        return 0
    kind = part.get("type")
    if kind not in _TEXT_PART_TYPES:
        return NON_TEXT_PART_TOKENS
    text = part.get(kind)
    return count_tokens(text, encoding) if isinstance(text, str) else 0


def _json_tokens(value: Any, encoding: str) -> int:
    return count_tokens(msgspec.json.encode(value).decode(), encoding)
