"""A scenario `Reply` as OpenAI's assistant message and as the deltas of its stream."""

import re
import secrets
import string

from .scenario import Reply, ToolCall

_CALL_ID_ALPHABET = string.ascii_letters + string.digits
# Arguments stream in fragments the way a model emits them: words, then the punctuation
# between them ('{"', 'location', '":"', 'Paris', ...).
_ARGUMENT_PIECE = re.compile(r"\w+|\W+")


def message(reply: Reply) -> dict[str, object]:
    if reply.tool_call is None:
        content: str | None = reply.text
        calls: dict[str, object] = {}
    else:
        content = None
        calls = {"tool_calls": [_tool_call(reply.tool_call, reply.tool_call.arguments_json)]}
    return {"role": "assistant", "content": content, **calls, "refusal": None, "annotations": []}


def deltas(reply: Reply) -> list[dict[str, object]]:
    """Every choice delta but the final finish_reason one; the first carries the role."""
    call = reply.tool_call
    if call is None:
        first = {"role": "assistant", "content": "", "refusal": None}
        return [first, *({"content": token} for token in reply.tokens)]
    opening = {"index": 0, **_tool_call(call, "")}
    first = {"role": "assistant", "content": None, "tool_calls": [opening], "refusal": None}
    pieces = _ARGUMENT_PIECE.findall(call.arguments_json)
    return [first, *({"tool_calls": [{"index": 0, "function": {"arguments": p}}]} for p in pieces)]


def _tool_call(call: ToolCall, arguments: str) -> dict[str, object]:
    call_id = "call_" + "".join(secrets.choice(_CALL_ID_ALPHABET) for _ in range(24))
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": call.name, "arguments": arguments},
    }
