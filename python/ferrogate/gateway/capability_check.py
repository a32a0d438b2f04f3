"""Refuse, with the field named, a request that asks for what the chosen provider cannot do."""

from __future__ import annotations

from typing import Any

from ferrogate.errors import InvalidRequest
from ferrogate.providers.capabilities import Capabilities

_UNSUPPORTED = "unsupported_capability"


def chat_needs(body: dict[str, Any]) -> frozenset[str]:
    """What a chat request needs of a deployment, named as `Capabilities` fields."""
    needs = set()
    if body.get("stream"):
        needs.add("streaming")
    if body.get("tools"):
        needs.add("tools")
    if _format_type(body) in ("json_object", "json_schema"):
        needs.add("json_schema")
    if _has_image(body["messages"]):
        needs.add("images")
    return frozenset(needs)


def check_chat_capabilities(body: dict[str, Any], caps: Capabilities, provider: str) -> None:
    if body.get("stream") and not caps.streaming:
        _refuse(provider, "streaming", "stream")
    if body.get("tools") and not caps.tools:
        _refuse(provider, "tools", "tools")
    format_type = _format_type(body)
    if format_type in ("json_object", "json_schema") and not caps.json_schema:
        _refuse(provider, "JSON output", "response_format")
    if not caps.images and _has_image(body["messages"]):
        _refuse(provider, "image input", "messages")


def _format_type(body: dict[str, Any]) -> object:
    response_format = body.get("response_format")
    if response_format is None:
        return None
    if not isinstance(response_format, dict):
        raise InvalidRequest(
            '`response_format` must be an object such as {"type": "json_object"}.',
            param="response_format",
        )
    return response_format.get("type")


def check_embeddings_capability(alias: str, caps: Capabilities, provider: str) -> None:
    if not caps.embeddings:
        raise InvalidRequest(
            f"The model `{alias}` is served by the `{provider}` provider, "
            "which does not support embeddings.",
            param="model",
            code=_UNSUPPORTED,
        )


def _has_image(messages: list[Any]) -> bool:
    for message in messages:
        content = message.get("content")
        if isinstance(content, list) and any(
            isinstance(part, dict) and part.get("type") == "image_url" for part in content
        ):
            return True
    return False


def _refuse(provider: str, what: str, param: str) -> None:
    raise InvalidRequest(
        f"The `{provider}` provider serving this model does not support {what}.",
        param=param,
        code=_UNSUPPORTED,
    )
