"""The scenario's `Reply` as Anthropic content blocks, stop reason and usage.

Both renderings, the whole message and the event stream, are made from these blocks, so a
streamed answer always reassembles into the non-streamed one.
"""

import json
from dataclasses import dataclass, replace
from typing import Any

from ..scenario import Ask, Reply, decide
from .ask import JSON_TOOL
from .ids import AnthropicIds

TOOL_INPUT_PIECE = 10  # characters per input_json_delta, so tool input arrives in pieces
STOP_REASONS = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "content_filter": "refusal",
}


@dataclass(frozen=True)
class Block:
    pieces: tuple[str, ...]  # text tokens, or a tool input's JSON in pieces
    tool_name: str | None = None  # set for a tool_use block
    tool_id: str = ""

    def whole(self) -> dict[str, Any]:
        if self.tool_name is None:
            return {"type": "text", "text": "".join(self.pieces)}
        return {**self.opening(), "input": json.loads("".join(self.pieces))}

    def opening(self) -> dict[str, Any]:
        """The block as `content_block_start` shows it, before any delta."""
        if self.tool_name is None:
            return {"type": "text", "text": ""}
        return {"type": "tool_use", "id": self.tool_id, "name": self.tool_name, "input": {}}


@dataclass(frozen=True)
class Answer:
    blocks: tuple[Block, ...]
    stop_reason: str
    stop_sequence: str | None
    usage: dict[str, Any]


def answer(ask: Ask, reply: Reply, stream_chunks: int, ids: AnthropicIds) -> Answer:
    blocks = _blocks(ask, reply, ids)
    stop_sequence = _stop_sequence(ask, reply, stream_chunks)
    if any(block.tool_name for block in blocks):
        stop_reason = "tool_use"
    else:
        stop_reason = "stop_sequence" if stop_sequence else STOP_REASONS[reply.finish]
    return Answer(blocks, stop_reason, stop_sequence, usage(reply, reply.completion_tokens))


def usage(reply: Reply, output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": reply.prompt_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "output_tokens": output_tokens,
    }


def _blocks(ask: Ask, reply: Reply, ids: AnthropicIds) -> tuple[Block, ...]:
    if reply.tool_call is not None:
        arguments = reply.tool_call.arguments_json
        pieces = tuple(
            arguments[i : i + TOOL_INPUT_PIECE] for i in range(0, len(arguments), TOOL_INPUT_PIECE)
        )
        return (Block(pieces, reply.tool_call.name, ids.next("toolu")),)
    if ask.wants_json and _is_json_object(reply.text):
        # Asked through a forced tool, JSON comes back as that tool's input.
        return (Block(reply.tokens, JSON_TOOL, ids.next("toolu")),)
    return (Block(reply.tokens),) if reply.tokens else ()


def _stop_sequence(ask: Ask, reply: Reply, stream_chunks: int) -> str | None:
    """The stop sequence that ended the answer, found where the scenario looks for it."""
    if not ask.stop or reply.finish != "stop" or reply.tool_call is not None:
        return None
    uncut = decide(replace(ask, stop=(), max_tokens=None), stream_chunks).text
    found = [(uncut.index(stop), stop) for stop in ask.stop if stop and stop in uncut]
    return min(found)[1] if found else None


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False
