"""An Anthropic Messages request -> the scenario's `Ask`."""

from typing import Any

from ..scenario import Ask

# The tool the gateway's Anthropic adapter forces when a client asks for JSON output
# (providers/anthropic/tools.py); the mock stays free of gateway imports, so it is named twice.
JSON_TOOL = "json_response"

Block = dict[str, Any]


def content_blocks(content: Any) -> list[Block]:
    """A message's content as blocks: a plain string is one text block."""
    if isinstance(content, str):
        return [{"type": "text", "text": content}] if content else []
    return [block for block in content or () if isinstance(block, dict)]


def read_ask(request: dict[str, Any]) -> Ask:
    messages = request["messages"]
    last_user = next((m for m in reversed(messages) if m.get("role") == "user"), {})
    blocks = content_blocks(last_user.get("content"))
    tools = tuple(tool.get("name") for tool in request.get("tools") or ())
    return Ask(
        text="".join(block["text"] for block in blocks if block.get("type") == "text"),
        images=sum(block.get("type") == "image" for block in blocks),
        tools=tuple(name for name in tools if name != JSON_TOOL),
        tool_result=_last_tool_result(messages),
        system=_text(request.get("system")) or None,
        turns=len(messages),
        max_tokens=request["max_tokens"],
        stop=tuple(request.get("stop_sequences") or ()),
        wants_json=JSON_TOOL in tools and _forces_a_tool(request.get("tool_choice") or {}),
    )


def _last_tool_result(messages: list[dict[str, Any]]) -> str | None:
    for message in reversed(messages):
        for block in reversed(content_blocks(message.get("content"))):
            if block.get("type") == "tool_result":
                return _text(block.get("content"))
    return None


def _text(content: Any) -> str:
    blocks = content_blocks(content)
    return "\n".join(block.get("text", "") for block in blocks if block.get("type") == "text")


def _forces_a_tool(choice: dict[str, Any]) -> bool:
    # "any" lets the model pick the JSON tool among others; "tool" must name it.
    kind = choice.get("type")
    return kind == "any" or (kind == "tool" and choice.get("name") == JSON_TOOL)
