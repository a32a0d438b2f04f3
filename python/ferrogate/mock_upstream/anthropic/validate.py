"""The checks Anthropic makes that a translating client most easily fails, with its messages."""

from typing import Any

from .ask import content_blocks
from .errors import AnthropicRequestError

_REQUIRED = ("model", "max_tokens", "messages")
_IMAGE_MEDIA_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_BLOCK_TYPES = frozenset({"text", "image", "tool_use", "tool_result", "document"})


def check_request(request: dict[str, Any]) -> None:
    for name in _REQUIRED:
        if name not in request:
            raise _invalid(f"{name}: Field required")
    max_tokens = request["max_tokens"]
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        raise _invalid("max_tokens: Input should be greater than or equal to 1")
    messages = request["messages"]
    if not isinstance(messages, list) or not messages:
        raise _invalid("messages: at least one message is required")
    awaiting: set[str] = set()  # tool_use ids the next turn must answer
    for i, message in enumerate(messages):
        awaiting = _check_message(message, i, last=i == len(messages) - 1, awaiting=awaiting)


def _check_message(message: Any, i: int, last: bool, awaiting: set[str]) -> set[str]:
    role = message.get("role") if isinstance(message, dict) else None
    if role not in ("user", "assistant"):
        raise _invalid(f"messages.{i}.role: Input should be 'user' or 'assistant'")
    blocks = content_blocks(message.get("content"))
    if not blocks and not (last and role == "assistant"):
        raise _invalid(
            f"messages.{i}: all messages must have non-empty content except for the optional "
            "final assistant message"
        )
    for j, block in enumerate(blocks):
        _check_block(block, f"messages.{i}.content.{j}")
    answered = {b.get("tool_use_id") for b in blocks if b.get("type") == "tool_result"}
    if awaiting - answered:
        raise _invalid(
            f"messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately "
            f"after: {', '.join(sorted(awaiting - answered))}. Each `tool_use` block must have a "
            "corresponding `tool_result` block in the next message."
        )
    if answered - awaiting:
        raise _invalid(
            f"messages.{i}.content: unexpected `tool_use_id` found in `tool_result` blocks: "
            f"{', '.join(sorted(map(str, answered - awaiting)))}. Each `tool_result` block must "
            "have a corresponding `tool_use` block in the previous message."
        )
    return {b.get("id") for b in blocks if b.get("type") == "tool_use"}


def _check_block(block: dict[str, Any], where: str) -> None:
    kind = block.get("type")
    if kind not in _BLOCK_TYPES:
        raise _invalid(f"{where}.type: Input tag {kind!r} does not match any of the expected tags")
    if kind == "text" and not block.get("text"):
        raise _invalid("messages: text content blocks must be non-empty")
    if kind == "image":
        _check_image_source(block.get("source") or {}, f"{where}.source")
    if kind == "tool_use" and not isinstance(block.get("input"), dict):
        raise _invalid(f"{where}.input: Input should be a valid dictionary")


def _check_image_source(source: dict[str, Any], where: str) -> None:
    kind = source.get("type")
    if kind == "url" and isinstance(source.get("url"), str):
        return
    if kind == "base64" and source.get("media_type") in _IMAGE_MEDIA_TYPES and source.get("data"):
        return
    raise _invalid(f"{where}: expected a base64 source (jpeg, png, gif, webp) or a url source")


def _invalid(message: str) -> AnthropicRequestError:
    return AnthropicRequestError(400, message)
