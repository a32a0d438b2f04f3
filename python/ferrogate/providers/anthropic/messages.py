"""OpenAI chat messages -> Anthropic's top-level `system` text and its conversation turns.

Anthropic keeps system text out of the conversation, carries tool calls and tool results as
content blocks (`tool_use` in an assistant turn, `tool_result` in a user turn), and takes
consecutive turns of one role as one turn, so they are merged here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NoReturn

import orjson

from ferrogate.errors import InvalidRequest
from ferrogate.providers.request_fields import array

Block = dict[str, Any]
Turn = dict[str, Any]

_SYSTEM_ROLES = frozenset({"system", "developer"})
# The image types Anthropic reads; anything else is refused before the call.
IMAGE_MEDIA_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_DATA_URL = re.compile(r"data:([\w.+-]+/[\w.+-]+);base64,(.+)", re.DOTALL)


def map_messages(messages: list[dict[str, Any]]) -> tuple[str | None, list[Turn]]:
    system: list[str] = []
    turns: list[Turn] = []
    for i, message in enumerate(messages):
        where = f"messages[{i}]"
        role = message["role"]
        if role in _SYSTEM_ROLES:
            # One system prompt upstream: system text found mid-conversation joins it.
            system.append(_plain_text(message.get("content"), f"{where}.content"))
            continue
        if role not in _TURNS:
            _refuse(f"{where}.role", f"The role {role!r} is not supported by Anthropic; use tools.")
        anthropic_role, to_blocks = _TURNS[role]
        blocks = to_blocks(message, where)
        if not blocks:
            continue  # Anthropic refuses empty turns; an empty one adds nothing anyway
        if turns and turns[-1]["role"] == anthropic_role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": anthropic_role, "content": blocks})
    return "\n\n".join(filter(None, system)) or None, turns


def _user_blocks(message: dict[str, Any], where: str) -> list[Block]:
    content = message.get("content")
    if not isinstance(content, list):
        return _text_blocks(_plain_text(content, f"{where}.content"))
    blocks = []
    for j, part in enumerate(content):
        param = f"{where}.content[{j}]"
        kind = part.get("type") if isinstance(part, dict) else None
        if not isinstance(kind, str) or kind not in _USER_PARTS:
            _refuse(param, f"Content parts of type {kind!r} are not supported by Anthropic.")
        blocks.extend(_USER_PARTS[kind](part, param))
    return blocks


def _assistant_blocks(message: dict[str, Any], where: str) -> list[Block]:
    blocks = _text_blocks(_plain_text(message.get("content"), f"{where}.content"))
    for j, call in enumerate(array(message.get("tool_calls"), f"{where}.tool_calls")):
        blocks.append(_tool_use(call, f"{where}.tool_calls[{j}]"))
    return blocks


def _tool_use(call: Any, param: str) -> Block:
    function = call.get("function") if isinstance(call, dict) else None
    if not isinstance(function, dict) or not isinstance(call.get("id"), str):
        _refuse(param, "A tool call needs an `id` and a `function`.")
    name = function.get("name")
    if not isinstance(name, str) or not name:
        _refuse(f"{param}.function.name", "A tool call needs a `function.name`.")
    arguments = _arguments(function.get("arguments"), f"{param}.function.arguments")
    return {"type": "tool_use", "id": call["id"], "name": name, "input": arguments}


def _tool_result_blocks(message: dict[str, Any], where: str) -> list[Block]:
    tool_call_id = message.get("tool_call_id")
    if not isinstance(tool_call_id, str) or not tool_call_id:
        _refuse(f"{where}.tool_call_id", "A tool message needs the `tool_call_id` it answers.")
    result: Block = {"type": "tool_result", "tool_use_id": tool_call_id}
    text = _plain_text(message.get("content"), f"{where}.content")
    if text:
        result["content"] = text
    return [result]


def _text_part(part: dict[str, Any], param: str) -> list[Block]:
    return _text_blocks(_part_text(part, param))


def _image_part(part: dict[str, Any], param: str) -> list[Block]:
    image = part.get("image_url")
    url = image.get("url") if isinstance(image, dict) else image
    if not isinstance(url, str):
        _refuse(f"{param}.image_url.url", "An image part needs `image_url.url`.")
    if url.startswith(("https://", "http://")):
        return [{"type": "image", "source": {"type": "url", "url": url}}]
    inline = _DATA_URL.fullmatch(url)
    if inline is None:
        _refuse(f"{param}.image_url.url", "Images must be http(s) URLs or base64 data URLs.")
    media_type, data = inline.groups()
    if media_type not in IMAGE_MEDIA_TYPES:
        allowed = ", ".join(sorted(IMAGE_MEDIA_TYPES))
        _refuse(f"{param}.image_url.url", f"Anthropic reads images of type {allowed} only.")
    return [{"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}]


def _plain_text(content: Any, param: str) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    if isinstance(content, list):
        return "".join(_part_text(part, f"{param}[{j}]") for j, part in enumerate(content))
    _refuse(param, "`content` must be a string or an array of content parts.")


def _part_text(part: Any, param: str) -> str:
    text = part.get("text") if isinstance(part, dict) and part.get("type") == "text" else None
    if not isinstance(text, str):
        _refuse(param, "Only text parts with a string `text` are allowed here.")
    return text


def _text_blocks(text: str) -> list[Block]:
    # Anthropic refuses empty text blocks, which OpenAI clients send freely (e.g. beside
    # tool calls).
    return [{"type": "text", "text": text}] if text else []


def _arguments(arguments: Any, param: str) -> dict[str, Any]:
    if arguments in (None, ""):
        return {}
    try:
        parsed = orjson.loads(arguments)
    except (orjson.JSONDecodeError, TypeError):
        parsed = None
    if not isinstance(parsed, dict):
        _refuse(param, "Tool call arguments must be a JSON object encoded as a string.")
    return parsed


def _refuse(param: str, message: str) -> NoReturn:
    raise InvalidRequest(message, param=param)


_TURNS: dict[str, tuple[str, Callable[[dict[str, Any], str], list[Block]]]] = {
    "user": ("user", _user_blocks),
    "assistant": ("assistant", _assistant_blocks),
    "tool": ("user", _tool_result_blocks),
}

_USER_PARTS: dict[str, Callable[[dict[str, Any], str], list[Block]]] = {
    "text": _text_part,
    "image_url": _image_part,
}
