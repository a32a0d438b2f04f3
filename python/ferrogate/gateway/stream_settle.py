"""Settle a streamed answer's grant when the stream ends, however it ends.

A stream that completed reports the upstream's usage. A stream cut by the upstream or
cancelled by the client is charged for what reached the client: the text it was sent,
counted with the same tokenizer that reserved the prompt.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator

import orjson

from ferrogate.limits.token_count import text_tokens
from ferrogate.providers import StreamUsage
from ferrogate.providers.sse import DONE

from .grant import Grant


async def settling(
    chunks: AsyncIterator[bytes], usage: StreamUsage, grant: Grant
) -> AsyncGenerator[bytes, None]:
    sent: list[bytes] = []
    try:
        async for chunk in chunks:
            if chunk.endswith(DONE):
                # Settled before the client sees the end, so a client that reads its spend
                # right after `[DONE]` finds it counted.
                _settle(grant, usage, sent, finished=True)
            sent.append(chunk)
            yield chunk
    finally:
        _settle(grant, usage, sent, finished=False)  # a no-op once settled


def _settle(grant: Grant, usage: StreamUsage, sent: list[bytes], finished: bool) -> None:
    counts = usage.counts if isinstance(usage.counts, dict) else {}
    reported = counts.get("completion_tokens")
    if finished and isinstance(reported, int):
        grant.settle_usage(counts)
        return
    if grant.settled:
        return
    # Cut short: whatever completion count the upstream gave so far is partial (or, from a
    # provider that reports up front, the whole answer's), so count what the client got.
    produced = text_tokens(sent_text(sent), grant.model)
    prompt = counts.get("prompt_tokens")
    prompt = prompt if isinstance(prompt, int) else grant.prompt_tokens
    grant.settle(prompt, produced)


def sent_text(chunks: list[bytes]) -> str:
    """The answer text and tool-call arguments carried by OpenAI-framed chunk events."""
    parts: list[str] = []
    for chunk in chunks:
        for line in chunk.split(b"\n"):
            if not line.startswith(b"data:") or line[5:].strip() == b"[DONE]":
                continue
            try:
                event = orjson.loads(line[5:])
            except orjson.JSONDecodeError:
                continue
            choices = event.get("choices") if isinstance(event, dict) else None
            for choice in choices if isinstance(choices, list) else ():
                _delta_text(choice.get("delta") if isinstance(choice, dict) else None, parts)
    return "".join(parts)


def _delta_text(delta: object, parts: list[str]) -> None:
    if not isinstance(delta, dict):
        return
    for field in ("content", "reasoning_content", "refusal"):
        text = delta.get(field)
        if isinstance(text, str):
            parts.append(text)
    for call in delta.get("tool_calls") or ():
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict):
            for field in ("name", "arguments"):
                if isinstance(function.get(field), str):
                    parts.append(function[field])
