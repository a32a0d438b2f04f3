"""Parse and validate a chat completion request; each error names the offending param."""

from __future__ import annotations

from typing import Any

from ferrogate.errors import InvalidRequest

from .image_urls import check_image_parts
from .json_body import load_json_object

_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
# The largest count any upstream parses (Gemini reads output limits as int32); beyond it no
# model can serve the request, and some providers would answer with an obscure error.
_MAX_TOKEN_COUNT = 2**31 - 1


def parse_chat_request(raw: bytes) -> dict[str, Any]:
    body = load_json_object(raw)
    _check_model(body.get("model"))
    _check_messages(body.get("messages"))
    _check_stream(body)
    for field in ("max_tokens", "max_completion_tokens"):
        _check_token_count(body.get(field), field)
    return body


def _check_model(model: Any) -> None:
    if model is None:
        raise InvalidRequest("you must provide a model parameter", param="model")
    if not isinstance(model, str) or not model:
        raise InvalidRequest("`model` must be a non-empty string.", param="model")


def _check_messages(messages: Any) -> None:
    if messages is None:
        raise InvalidRequest("Missing required parameter: 'messages'.", param="messages")
    if not isinstance(messages, list):
        raise InvalidRequest("`messages` must be an array of message objects.", param="messages")
    if not messages:
        raise InvalidRequest("`messages` must contain at least one message.", param="messages")
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise InvalidRequest(f"messages[{i}] must be an object.", param=f"messages[{i}]")
        role = message.get("role")
        if not isinstance(role, str) or role not in _ROLES:
            raise InvalidRequest(
                f"messages[{i}].role must be one of {', '.join(sorted(_ROLES))}.",
                param=f"messages[{i}].role",
            )
        check_image_parts(message.get("content"), f"messages[{i}].content")


def _check_token_count(value: Any, field: str) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidRequest(f"`{field}` must be an integer.", param=field)
    if not 1 <= value <= _MAX_TOKEN_COUNT:
        raise InvalidRequest(
            f"`{field}` must be between 1 and {_MAX_TOKEN_COUNT}, got {value}.", param=field
        )


def _check_stream(body: dict[str, Any]) -> None:
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise InvalidRequest("`stream` must be a boolean.", param="stream")
    options = body.get("stream_options")
    if options is None:
        return
    if not isinstance(options, dict):
        raise InvalidRequest("`stream_options` must be an object.", param="stream_options")
    if not stream:
        raise InvalidRequest(
            "`stream_options` is only allowed when `stream` is true.", param="stream_options"
        )
    include = options.get("include_usage")
    if include is not None and not isinstance(include, bool):
        raise InvalidRequest(
            "`stream_options.include_usage` must be a boolean.",
            param="stream_options.include_usage",
        )
