"""A validated OpenAI chat request -> the body of an Anthropic `POST /v1/messages`.

Left out on purpose, having no Anthropic counterpart that changes the answer's shape:
frequency_penalty, presence_penalty, seed, logit_bias, service_tier, store, metadata,
reasoning_effort, prediction. Parameters that would change what the client gets back
(several choices, log probabilities, audio) are refused with a 400 instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ferrogate.errors import InvalidRequest
from ferrogate.providers.request_fields import stop_sequences

from .messages import map_messages
from .tools import map_tools

# Anthropic requires max_tokens and OpenAI does not: a request without either of OpenAI's
# two spellings gets this, which every current Claude model can produce.
DEFAULT_MAX_TOKENS = 4096

# Passed through unchanged. OpenAI allows temperature up to 2 and Anthropic up to 1; a
# value above 1 gets Anthropic's own 400 rather than a silently different temperature.
_SAMPLING = ("temperature", "top_p")

_UNSUPPORTED: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    ("n", lambda value: value not in (None, 1), "Anthropic returns one choice; `n` must be 1."),
    ("logprobs", bool, "Anthropic does not return log probabilities."),
    ("top_logprobs", lambda value: value is not None, "Anthropic has no log probabilities."),
    ("audio", lambda value: value is not None, "Anthropic does not produce audio."),
)


def to_anthropic(body: dict[str, Any], model: str) -> dict[str, Any]:
    for param, unsupported, message in _UNSUPPORTED:
        if unsupported(body.get(param)):
            raise InvalidRequest(message, param=param, code="unsupported_parameter")
    system, messages = map_messages(body["messages"])
    request: dict[str, Any] = {"model": model, "max_tokens": _max_tokens(body)}
    if system is not None:
        request["system"] = system
    request["messages"] = messages
    request.update({name: body[name] for name in _SAMPLING if body.get(name) is not None})
    stop = stop_sequences(body.get("stop"))
    if stop:
        request["stop_sequences"] = stop
    if isinstance(body.get("user"), str):
        request["metadata"] = {"user_id": body["user"]}
    request.update(map_tools(body))
    return request


def _max_tokens(body: dict[str, Any]) -> Any:
    for name in ("max_completion_tokens", "max_tokens"):
        if body.get(name) is not None:
            return body[name]
    return DEFAULT_MAX_TOKENS
