"""Scope before similarity: which cached answers a chat request may be served from.

Two requests can share an answer only when everything but the wording of the current
user turn is the same: namespace, model route, sampling parameters, tools, response
format, system prompt and earlier turns. That context is hashed (the Rust canonical
hash, so key order and number spelling do not matter); only the last user turn is
left to be compared by meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from ferrogate.core import request_hash

DEFAULT_MAX_TEMPERATURE = 0.5  # above this, answers are meant to vary: bypass by default


@dataclass(frozen=True, slots=True)
class CacheScope:
    namespace: str
    key: str  # "<namespace>|<context hash>": the L1/L2 partition
    exact_key: str  # "<namespace>|<whole request hash>": the exact tier's key
    user_turn: str  # the text compared by meaning


def scope_of(
    body: dict[str, Any],
    raw: bytes,
    namespace: str,
    max_temperature: float = DEFAULT_MAX_TEMPERATURE,
) -> CacheScope | None:
    """The request's cache scope, or None when the request must bypass the cache."""
    if _bypasses(body, max_temperature):
        return None
    messages = body["messages"]
    user_turn = _text_only(messages[-1])
    if user_turn is None:
        return None
    context = {key: value for key, value in body.items() if key != "messages"}
    context["messages"] = messages[:-1]
    context_hash = request_hash(orjson.dumps(context))
    return CacheScope(
        namespace=namespace,
        key=f"{namespace}|{context_hash}",
        exact_key=f"{namespace}|{request_hash(raw)}",
        user_turn=user_turn,
    )


def _bypasses(body: dict[str, Any], max_temperature: float) -> bool:
    temperature = body.get("temperature")
    if isinstance(temperature, int | float) and temperature > max_temperature:
        return True
    n = body.get("n")
    return isinstance(n, int) and n > 1


def _text_only(message: dict[str, Any]) -> str | None:
    """The last turn's text when it is a plain user turn; images or tool results bypass."""
    if message.get("role") != "user":
        return None
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list) and all(
        isinstance(p, dict) and p.get("type") == "text" for p in content
    ):
        return " ".join(str(p.get("text", "")) for p in content)
    return None
