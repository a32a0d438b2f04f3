"""OpenAI tools, tool_choice and tool-call ids in Gemini's terms.

Gemini's thinking models sign each function call (`thoughtSignature`) and, from Gemini 3
on, refuse a follow-up whose replayed call lost its signature (400 "Function call is
missing a thought_signature"). OpenAI clients replay only the tool call id, so the
signature rides inside the id we hand out and is taken back out on the way upstream.
"""

from __future__ import annotations

import secrets
from typing import Any

from ferrogate.errors import InvalidRequest

_SIGNATURE_MARK = "__sig__"  # absent from "call_<hex>" and from base64 signatures

_MODES = {"auto": "AUTO", "none": "NONE", "required": "ANY"}


def new_call_id(signature: str | None) -> str:
    call_id = f"call_{secrets.token_hex(12)}"
    return f"{call_id}{_SIGNATURE_MARK}{signature}" if signature else call_id


def signature_in(call_id: str) -> str | None:
    return call_id.partition(_SIGNATURE_MARK)[2] or None


def gemini_tools(tools: list[Any]) -> list[dict[str, Any]]:
    declarations = [_declaration(tool, f"tools[{i}]") for i, tool in enumerate(tools)]
    return [{"functionDeclarations": declarations}]


def _declaration(tool: Any, param: str) -> dict[str, Any]:
    function = tool.get("function") if isinstance(tool, dict) else None
    if not isinstance(function, dict) or tool.get("type") != "function":
        raise InvalidRequest("Gemini accepts only `function` tools.", param=f"{param}.type")
    if not isinstance(function.get("name"), str):
        raise InvalidRequest("A function tool needs a `name`.", param=f"{param}.function.name")
    declaration = {"name": function["name"]}
    if function.get("description"):
        declaration["description"] = function["description"]
    # OpenAI parameters are JSON Schema; `parameters` would take only Google's OpenAPI subset.
    if function.get("parameters") is not None:
        declaration["parametersJsonSchema"] = function["parameters"]
    return declaration


def gemini_tool_config(choice: Any) -> dict[str, Any] | None:
    if choice is None:
        return None
    if isinstance(choice, str) and choice in _MODES:
        return {"functionCallingConfig": {"mode": _MODES[choice]}}
    function = choice.get("function") if isinstance(choice, dict) else None
    name = function.get("name") if isinstance(function, dict) else None
    if not isinstance(name, str):
        raise InvalidRequest(
            "`tool_choice` must be none, auto, required or a named function.", param="tool_choice"
        )
    return {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": [name]}}
