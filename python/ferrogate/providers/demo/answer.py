"""The demo model's answer: a pure function of the prompt, so tests and benches can rely on it."""

from __future__ import annotations

from typing import Any

_OPENERS = (
    "Here is a thought about that.",
    "Good question.",
    "Let me answer briefly.",
    "Happy to help.",
)


def prompt_text(messages: list[dict[str, Any]]) -> str:
    """The text of the last user turn (text parts of multimodal content joined)."""
    for message in reversed(messages):
        if message.get("role") == "user":
            return _text_of(message.get("content"))
    return ""


def answer_for(prompt: str) -> str:
    opener = _OPENERS[sum(prompt.encode()) % len(_OPENERS)]
    quoted = " ".join(prompt.split()[:40]) or "nothing"
    return (
        f'{opener} You said: "{quoted}". I am Ferrogate\'s built-in demo model: '
        "I answer offline and the same way every time."
    )


def count_tokens(text: str) -> int:
    # Roughly four characters a token, like OpenAI's rule of thumb; the demo needs no tokenizer.
    return max(1, (len(text) + 3) // 4)


def prompt_tokens(messages: list[dict[str, Any]]) -> int:
    return sum(count_tokens(_text_of(m.get("content"))) + 3 for m in messages)


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [
            p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"
        ]
        return " ".join(part for part in parts if isinstance(part, str))
    return ""
