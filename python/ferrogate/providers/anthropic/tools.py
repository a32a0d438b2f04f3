"""OpenAI `tools`, `tool_choice` and `response_format` -> Anthropic `tools` and `tool_choice`.

JSON output: the Messages API (version 2023-06-01) has no `response_format`. The way
Anthropic documents for JSON that follows a schema is a tool whose `input_schema` is that
schema, forced through `tool_choice`: the tool's `input` is then the answer. So JSON output
becomes a call of JSON_TOOL here, and response.py and stream.py hand that call's input back
as the message text, with finish reason "stop".
"""

from __future__ import annotations

from typing import Any

from ferrogate.errors import InvalidRequest
from ferrogate.providers.request_fields import array

JSON_TOOL = "json_response"  # the mock upstream treats a forced tool of this name as JSON wanted
_JSON_TOOL_DESCRIPTION = "Give your final answer by calling this tool; its input is the answer."
_ANY_OBJECT = {"type": "object"}
_NO_PARAMETERS = {"type": "object", "properties": {}}

_CHOICES: dict[str, dict[str, Any]] = {
    "auto": {"type": "auto"},
    "none": {"type": "none"},
    "required": {"type": "any"},
}


def map_tools(body: dict[str, Any]) -> dict[str, Any]:
    """The `tools` and `tool_choice` members of the Anthropic request, when there are any."""
    tools = [_tool(tool, f"tools[{i}]") for i, tool in enumerate(array(body.get("tools"), "tools"))]
    # A tool_choice without tools has nothing to choose from; OpenAI clients send one anyway.
    choice = _choice(body.get("tool_choice")) if tools else None
    json_tool = _json_tool(body.get("response_format"))
    if json_tool is not None:
        choice = _json_choice(choice, has_client_tools=bool(tools))
        tools.append(json_tool)
    if tools and body.get("parallel_tool_calls") is False:
        choice = choice or _CHOICES["auto"]
        if choice["type"] != "none":
            choice = {**choice, "disable_parallel_tool_use": True}
    members: dict[str, Any] = {"tools": tools} if tools else {}
    if choice is not None:
        members["tool_choice"] = choice
    return members


def _tool(tool: Any, where: str) -> dict[str, Any]:
    function = tool.get("function") if isinstance(tool, dict) else None
    if not isinstance(function, dict) or tool.get("type") != "function":
        raise InvalidRequest("Anthropic takes tools of type 'function' only.", param=where)
    name = function.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidRequest("A tool needs a `function.name`.", param=f"{where}.function.name")
    mapped = {"name": name, "input_schema": function.get("parameters") or _NO_PARAMETERS}
    if function.get("description"):
        mapped["description"] = function["description"]
    return mapped


def _choice(choice: Any) -> dict[str, Any] | None:
    if choice is None:
        return None
    if isinstance(choice, str) and choice in _CHOICES:
        return _CHOICES[choice]
    if isinstance(choice, dict) and choice.get("type") == "function":
        name = (choice.get("function") or {}).get("name")
        if isinstance(name, str) and name:
            return {"type": "tool", "name": name}
    raise InvalidRequest(
        "`tool_choice` must be 'auto', 'none', 'required' or a function by name.",
        param="tool_choice",
    )


def _json_choice(choice: dict[str, Any] | None, has_client_tools: bool) -> dict[str, Any]:
    if choice is not None and choice["type"] == "tool":
        return choice  # the client forces one of its own tools first
    if has_client_tools and (choice is None or choice["type"] != "none"):
        # Either a call of one of the client's tools or the answer through JSON_TOOL.
        return _CHOICES["required"]
    return {"type": "tool", "name": JSON_TOOL}


def _json_tool(response_format: Any) -> dict[str, Any] | None:
    kind = response_format.get("type") if isinstance(response_format, dict) else response_format
    if kind in (None, "text"):
        return None
    if kind == "json_object":
        schema, description = _ANY_OBJECT, None
    elif kind == "json_schema":
        spec = response_format.get("json_schema") or {}
        schema, description = spec.get("schema") or _ANY_OBJECT, spec.get("description")
    else:
        raise InvalidRequest(
            "`response_format.type` must be 'text', 'json_object' or 'json_schema'.",
            param="response_format",
        )
    description = description or _JSON_TOOL_DESCRIPTION
    return {"name": JSON_TOOL, "description": description, "input_schema": schema}
