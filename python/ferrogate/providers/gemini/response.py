"""A Gemini GenerateContentResponse as an OpenAI `chat.completion`, and the pieces the
stream mapping shares with it: finish reasons, tool calls, usage."""

from __future__ import annotations

import secrets
import time
from typing import Any

import orjson

from ferrogate.providers.upstream_json import count, mapping, mappings, string

from .tools import new_call_id

# Gemini finishReason -> OpenAI finish_reason. Anything else (OTHER, LANGUAGE,
# MALFORMED_FUNCTION_CALL, ...) ended the answer without a closer match: "stop".
FINISH_REASONS = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
    "IMAGE_SAFETY": "content_filter",
    "IMAGE_PROHIBITED_CONTENT": "content_filter",
    "IMAGE_RECITATION": "content_filter",
}


def finish_reason(gemini_reason: Any, called_a_function: bool) -> str:
    reason = FINISH_REASONS.get(string(gemini_reason) or "", "stop")
    # Gemini says STOP after a function call; OpenAI clients look for "tool_calls".
    return "tool_calls" if called_a_function and reason == "stop" else reason


def split_parts(parts: Any) -> tuple[str, list[dict[str, Any]]]:
    """The answer text (thought summaries left out) and the function calls as tool calls."""
    parts = mappings(parts)
    texts = [p["text"] for p in parts if isinstance(p.get("text"), str) and not p.get("thought")]
    calls = [tool_call(p) for p in parts if "functionCall" in p]
    return "".join(texts), calls


def tool_call(part: dict[str, Any]) -> dict[str, Any]:
    call = mapping(part["functionCall"])
    arguments = orjson.dumps(mapping(call.get("args"))).decode()
    return {
        "id": new_call_id(string(part.get("thoughtSignature"))),
        "type": "function",
        "function": {"name": string(call.get("name")) or "", "arguments": arguments},
    }


def usage(metadata: Any) -> dict[str, Any]:
    # Gemini omits zero counts. Tool-use prompt tokens were read like prompt tokens and
    # thinking tokens were generated like answer tokens, so each counts with its kind.
    metadata = mapping(metadata)
    prompt = count(metadata.get("promptTokenCount"))
    prompt += count(metadata.get("toolUsePromptTokenCount"))
    thoughts = count(metadata.get("thoughtsTokenCount"))
    completion = count(metadata.get("candidatesTokenCount")) + thoughts
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": count(metadata.get("totalTokenCount")) or prompt + completion,
        "prompt_tokens_details": {"cached_tokens": count(metadata.get("cachedContentTokenCount"))},
        "completion_tokens_details": {"reasoning_tokens": thoughts},
    }


def completion_id(response: dict[str, Any]) -> str:
    return f"chatcmpl-{string(response.get('responseId')) or secrets.token_hex(12)}"


def completion_body(response: dict[str, Any], model: str) -> bytes:
    candidates = mappings(response.get("candidates"))
    choices = [_choice(c) for c in candidates] or [_blocked(response)]
    body = {
        "id": completion_id(response),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": string(response.get("modelVersion")) or model,
        "choices": choices,
        "usage": usage(response.get("usageMetadata")),
    }
    return orjson.dumps(body)


def _choice(candidate: dict[str, Any]) -> dict[str, Any]:
    text, calls = split_parts(mapping(candidate.get("content")).get("parts"))
    message: dict[str, Any] = {"role": "assistant", "content": text or (None if calls else "")}
    message["refusal"] = None
    if calls:
        message["tool_calls"] = calls
    finish = finish_reason(candidate.get("finishReason", "STOP"), bool(calls))
    return {
        "index": count(candidate.get("index")),
        "message": message,
        "logprobs": None,
        "finish_reason": finish,
    }


def _blocked(response: dict[str, Any]) -> dict[str, Any]:
    """No candidate at all: the prompt itself was blocked (promptFeedback.blockReason)."""
    blocked = bool(mapping(response.get("promptFeedback")).get("blockReason"))
    message = {"role": "assistant", "content": "", "refusal": None}
    finish = "content_filter" if blocked else "stop"
    return {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
