"""An `Answer` in Anthropic's wire format: the whole message, or its SSE event sequence."""

from typing import Any

import orjson

from ..scenario import MIDSTREAM_ERROR_AFTER
from .answer import Answer, Block
from .errors import AnthropicRequestError

_OVERLOADED = AnthropicRequestError(529)
_FIRST_DELTA = 3  # after message_start, the first content_block_start and a ping


def message_body(answer: Answer, message_id: str, model: str) -> bytes:
    message = _message(message_id, model, [block.whole() for block in answer.blocks])
    message.update(stop_reason=answer.stop_reason, stop_sequence=answer.stop_sequence)
    message["usage"] = {**answer.usage, "service_tier": "standard"}
    return orjson.dumps(message)


def events(answer: Answer, message_id: str, model: str, midstream_error: bool) -> list[bytes]:
    """Every event of the streamed answer: message_start to message_stop, pings included."""
    opening = _message(message_id, model, [])
    opening["usage"] = {**answer.usage, "output_tokens": 1, "service_tier": "standard"}
    sent = [_event("message_start", {"message": opening})]
    if not answer.blocks:
        sent.append(_event("ping", {}))
    for index, block in enumerate(answer.blocks):
        sent += _block_events(index, block, ping=index == 0)
    if midstream_error:
        # Cut after a few deltas, as an upstream overloaded mid-answer does.
        return [*sent[: _FIRST_DELTA + MIDSTREAM_ERROR_AFTER], _OVERLOADED.event()]
    delta = {"stop_reason": answer.stop_reason, "stop_sequence": answer.stop_sequence}
    sent.append(_event("message_delta", {"delta": delta, "usage": answer.usage}))
    sent.append(_event("message_stop", {}))
    return sent


def _block_events(index: int, block: Block, ping: bool) -> list[bytes]:
    sent = [_event("content_block_start", {"index": index, "content_block": block.opening()})]
    if ping:
        sent.append(_event("ping", {}))
    if block.tool_name is None:
        deltas = [{"type": "text_delta", "text": piece} for piece in block.pieces]
    else:
        # Anthropic opens tool input with an empty piece, then sends the JSON in pieces.
        pieces = ("", *block.pieces)
        deltas = [{"type": "input_json_delta", "partial_json": piece} for piece in pieces]
    sent += [_event("content_block_delta", {"index": index, "delta": delta}) for delta in deltas]
    sent.append(_event("content_block_stop", {"index": index}))
    return sent


def _message(message_id: str, model: str, content: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": None,
        "stop_sequence": None,
    }


def _event(name: str, fields: dict[str, Any]) -> bytes:
    data = orjson.dumps({"type": name, **fields})
    return b"event: " + name.encode() + b"\ndata: " + data + b"\n\n"
