"""OpenAI `messages` as Gemini `contents` (roles user and model) and `systemInstruction`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from ferrogate.errors import InvalidRequest
from ferrogate.providers.request_fields import array

from .parts import content_parts
from .tools import signature_in


class Conversation:
    """Built once per request, message by message, in order."""

    def __init__(self) -> None:
        self.contents: list[dict[str, Any]] = []
        self.system: list[dict[str, Any]] = []
        self._names: dict[str, str] = {}  # tool call id -> function name, for tool results

    def add(self, message: dict[str, Any], index: int) -> None:
        _BY_ROLE[message["role"]](self, message, f"messages[{index}]")

    def _system(self, message: dict[str, Any], param: str) -> None:
        # Gemini has one system instruction; system turns anywhere join it, in order.
        self.system += content_parts(message.get("content"), f"{param}.content", images=False)

    def _user(self, message: dict[str, Any], param: str) -> None:
        parts = content_parts(message.get("content"), f"{param}.content")
        self.contents.append({"role": "user", "parts": parts})

    def _assistant(self, message: dict[str, Any], param: str) -> None:
        content = content_parts(message.get("content"), f"{param}.content", images=False)
        parts = [part for part in content if part["text"]]  # Gemini refuses empty text parts
        for j, call in enumerate(array(message.get("tool_calls"), f"{param}.tool_calls")):
            parts.append(self._function_call(call, f"{param}.tool_calls[{j}]"))
        if parts:  # Gemini refuses a turn without parts
            self.contents.append({"role": "model", "parts": parts})

    def _function_call(self, call: Any, param: str) -> dict[str, Any]:
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict) or not isinstance(call.get("id"), str):
            raise InvalidRequest("A tool call needs an `id` and a `function`.", param=param)
        self._names[call["id"]] = function.get("name", "")
        part: dict[str, Any] = {
            "functionCall": {"name": function.get("name", ""), "args": _arguments(function, param)}
        }
        signature = signature_in(call["id"])
        if signature:
            part["thoughtSignature"] = signature
        return part

    def _tool(self, message: dict[str, Any], param: str) -> None:
        call_id = message.get("tool_call_id")
        name = self._names.get(call_id) if isinstance(call_id, str) else None
        if name is None:
            raise InvalidRequest(
                "`tool_call_id` matches no tool call of an earlier assistant message.",
                param=f"{param}.tool_call_id",
            )
        self._function_response(name, message.get("content"), param)

    def _function(self, message: dict[str, Any], param: str) -> None:
        # The legacy `functions` API has no call ids to pair results with; tools do.
        raise InvalidRequest(
            "Messages with role `function` are not supported for Gemini; use `tools`.",
            param=f"{param}.role",
        )

    def _function_response(self, name: str, content: Any, param: str) -> None:
        part = {"functionResponse": {"name": name, "response": _response(content, param)}}
        last = self.contents[-1]["parts"] if self.contents else []
        # Results of parallel calls go back together: one user turn, one part per call.
        if last and "functionResponse" in last[-1]:
            last.append(part)
        else:
            self.contents.append({"role": "user", "parts": [part]})


_BY_ROLE: dict[str, Callable[[Conversation, dict[str, Any], str], None]] = {
    "system": Conversation._system,
    "developer": Conversation._system,
    "user": Conversation._user,
    "assistant": Conversation._assistant,
    "tool": Conversation._tool,
    "function": Conversation._function,
}


def _arguments(function: dict[str, Any], param: str) -> dict[str, Any]:
    try:
        arguments = orjson.loads(function.get("arguments") or "{}")
    except orjson.JSONDecodeError:
        arguments = None
    if not isinstance(arguments, dict):
        raise InvalidRequest(
            "Tool call arguments must be a JSON object.", param=f"{param}.function.arguments"
        )
    return arguments


def _response(content: Any, param: str) -> dict[str, Any]:
    """Gemini wants an object; its reference names `output` the key for a plain result."""
    text = "".join(p["text"] for p in content_parts(content, f"{param}.content", images=False))
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return {"output": text}
    return value if isinstance(value, dict) else {"output": value}
