"""OpenAI request fields that the gateway's parser passes on unchecked, read alike by every
translator: a value of the wrong shape is refused with a 400 naming the field."""

from __future__ import annotations

from typing import Any

from ferrogate.errors import InvalidRequest


def stop_sequences(stop: Any) -> list[str]:
    """`stop`, a string or an array of strings, as a list (empty when not given)."""
    if not stop:
        return []
    if isinstance(stop, str):
        return [stop]
    if isinstance(stop, list) and all(isinstance(item, str) for item in stop):
        return stop
    raise InvalidRequest("`stop` must be a string or an array of strings.", param="stop")


def array(value: Any, param: str) -> list[Any]:
    """An optional array member such as `tools` or `tool_calls`: its items, or none."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidRequest(f"`{param}` must be an array.", param=param)
    return value
