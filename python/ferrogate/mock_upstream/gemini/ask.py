"""What a Gemini GenerateContentRequest asks, read into the scenario's `Ask`."""

import json
from typing import Any

from ..scenario import Ask
from .errors import invalid_argument, missing_signature


def ask_from(request: dict[str, Any]) -> Ask:
    contents = request.get("contents")
    if not isinstance(contents, list) or not contents:
        raise invalid_argument("* GenerateContentRequest.contents: contents is not specified")
    _check_signatures(contents)
    last_user = next((c for c in reversed(contents) if c.get("role", "user") == "user"), {})
    parts = last_user.get("parts") or []
    config = request.get("generationConfig") or {}
    return Ask(
        text="\n".join(p["text"] for p in parts if "text" in p),
        images=sum(1 for p in parts if "inlineData" in p or "fileData" in p),
        tools=_tool_names(request.get("tools") or []),
        tool_result=_tool_result(contents),
        system=_system(request.get("systemInstruction")),
        turns=len(contents),
        max_tokens=config.get("maxOutputTokens"),
        stop=tuple(config.get("stopSequences") or ()),
        wants_json=config.get("responseMimeType") == "application/json",
    )


def _check_signatures(contents: list[dict[str, Any]]) -> None:
    """Like Gemini 3: the latest model turn's function calls must come back signed."""
    for content in reversed(contents):
        calls = [p for p in content.get("parts") or [] if "functionCall" in p]
        if content.get("role") == "model" and calls:
            if not all(p.get("thoughtSignature") for p in calls):
                raise missing_signature()
            return


def _tool_names(tools: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(
        declaration["name"]
        for tool in tools
        for declaration in tool.get("functionDeclarations") or []
    )


def _tool_result(contents: list[dict[str, Any]]) -> str | None:
    responses = [
        part["functionResponse"].get("response") or {}
        for content in contents
        for part in content.get("parts") or []
        if "functionResponse" in part
    ]
    if not responses:
        return None
    output = responses[-1].get("output", responses[-1])
    return output if isinstance(output, str) else json.dumps(output)


def _system(instruction: Any) -> str | None:
    if not isinstance(instruction, dict):
        return None
    return "\n".join(p["text"] for p in instruction.get("parts") or [] if "text" in p) or None
