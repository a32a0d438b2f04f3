"""Parse and validate a chat completion request; each error names the offending param."""

from __future__ import annotations

from typing import Any

from ferrogate.errors import InvalidRequest

from .json_body import load_json_object

_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})


def parse_chat_request(raw: bytes) -> dict[str, Any]:
    body = load_json_object(raw)
    _check_model(body.get("model"))
    _check_messages(body.get("messages"))
    _check_stream(body)
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
        if role not in _ROLES:
            raise InvalidRequest(
                f"messages[{i}].role must be one of {', '.join(sorted(_ROLES))}.",
                param=f"messages[{i}].role",
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
