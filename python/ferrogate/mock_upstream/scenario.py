"""What the mock answers, decided once for every provider's wire format.

Each provider module reads its own request format into an `Ask`, calls `decide`,
and renders the `Reply` in its own format. So the same prompt gets the same answer
from every provider, and one conformance suite can compare them through the gateway.

Rules, first match wins:
  1. "[error:NNN]" in the last user text: the provider's error for status NNN
     (400, 401, 429, 500, 529; any other NNN is answered as 500).
  2. tools declared and no tool result in the conversation: a call of the first tool
     with arguments {"location": "Paris", "unit": "celsius"}, finish "tool_calls".
  3. a tool result in the conversation: "The tool said: <result text>".
  4. "[echo]": "system=<system text or none>; turns=<number of messages, system
     excluded>; last=<last user text with [echo] removed, stripped>".
  5. "[safety]": no text, finish "content_filter".
  6. an image in the last user turn: "I see 1 image." (the count of images).
  7. JSON wanted (response_format json_object/json_schema, Gemini's JSON mime
     type, Anthropic's forced JSON tool): '{"answer": "<default text>"}'.
  8. otherwise the default answer: `bodies.reply_tokens(stream_chunks)` joined.
Then, for text answers: `stop` cuts the text before the first stop string found
(finish "stop"); `max_tokens` below the token count keeps the first max_tokens
tokens (finish "length"). "[midstream-error]" gives the normal answer, but a
streamed one sends 3 tokens and then the provider's mid-stream error event
(status 529/overloaded for Anthropic; a non-streamed answer is normal).
Usage: prompt tokens are always PROMPT_TOKENS; completion tokens = tokens emitted
(a tool call counts 12).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .bodies import PROMPT_TOKENS, reply_tokens

_ERROR = re.compile(r"\[error:(\d{3})\]")
_KNOWN_ERRORS = frozenset({400, 401, 429, 500, 529})
TOOL_ARGUMENTS = {"location": "Paris", "unit": "celsius"}
TOOL_CALL_TOKENS = 12
MIDSTREAM_ERROR_AFTER = 3


@dataclass(frozen=True)
class Ask:
    text: str  # the last user turn's text
    images: int = 0  # images in the last user turn
    tools: tuple[str, ...] = ()  # declared tool / function names
    tool_result: str | None = None  # text of a tool result in the conversation
    system: str | None = None
    turns: int = 1  # messages, system excluded
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()
    wants_json: bool = False


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, object]

    @property
    def arguments_json(self) -> str:
        return json.dumps(self.arguments, separators=(",", ":"))


@dataclass(frozen=True)
class Reply:
    tokens: tuple[str, ...] = ()  # text, one entry per completion token
    tool_call: ToolCall | None = None
    finish: str = "stop"  # stop | length | tool_calls | content_filter
    error_status: int | None = None
    midstream_error: bool = False
    prompt_tokens: int = PROMPT_TOKENS
    completion_tokens: int = field(default=0)

    @property
    def text(self) -> str:
        return "".join(self.tokens)


def decide(ask: Ask, stream_chunks: int) -> Reply:
    error = _ERROR.search(ask.text)
    if error:
        status = int(error.group(1))
        return Reply(error_status=status if status in _KNOWN_ERRORS else 500)
    if ask.tools and ask.tool_result is None:
        call = ToolCall(ask.tools[0], TOOL_ARGUMENTS)
        return Reply(tool_call=call, finish="tool_calls", completion_tokens=TOOL_CALL_TOKENS)
    if "[safety]" in ask.text:
        return Reply(finish="content_filter")
    tokens = _text_tokens(ask, stream_chunks)
    return _limit(ask, tokens, midstream_error="[midstream-error]" in ask.text)


def _text_tokens(ask: Ask, stream_chunks: int) -> list[str]:
    if ask.tool_result is not None:
        return _words(f"The tool said: {ask.tool_result}")
    if "[echo]" in ask.text:
        last = ask.text.replace("[echo]", "").strip()
        return _words(f"system={ask.system or 'none'}; turns={ask.turns}; last={last}")
    if ask.images:
        return _words(f"I see {ask.images} image.")
    default = reply_tokens(stream_chunks)
    if ask.wants_json:
        return _words(json.dumps({"answer": "".join(default)}))
    return default


def _words(text: str) -> list[str]:
    """Split into tokens that join back to `text`: each word keeps its leading space."""
    return re.findall(r"\s*\S+", text) or [text]


def _limit(ask: Ask, tokens: list[str], midstream_error: bool) -> Reply:
    finish = "stop"
    text = "".join(tokens)
    cuts = [text.index(stop) for stop in ask.stop if stop and stop in text]
    if cuts:
        tokens = _words(text[: min(cuts)]) if min(cuts) else []
    if ask.max_tokens is not None and ask.max_tokens < len(tokens):
        tokens, finish = tokens[: ask.max_tokens], "length"
    return Reply(
        tokens=tuple(tokens),
        finish=finish,
        midstream_error=midstream_error,
        completion_tokens=len(tokens),
    )
