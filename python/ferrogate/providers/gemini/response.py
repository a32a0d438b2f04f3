"""A Gemini GenerateContentResponse as an OpenAI `chat.completion`, and the pieces the
stream mapping shares with it: finish reasons, tool calls, usage."""

from __future__ import annotations

import secrets
import time
from typing import Any

import orjson

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


def finish_reason(gemini_reason: str, called_a_function: bool) -> str:
    reason = FINISH_REASONS.get(gemini_reason, "stop")
    # Gemini says STOP after a function call; OpenAI clients look for "tool_calls".
    return "tool_calls" if called_a_function and reason == "stop" else reason


def split_parts(parts: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The answer text (thought summaries left out) and the function calls as tool calls."""
    texts = [p["text"] for p in parts if "text" in p and not p.get("thought")]
    calls = [tool_call(p) for p in parts if "functionCall" in p]
    return "".join(texts), calls


def tool_call(part: dict[str, Any]) -> dict[str, Any]:
    call = part["functionCall"]
    arguments = orjson.dumps(call.get("args") or {}).decode()
    return {
        "id": new_call_id(part.get("thoughtSignature")),
        "type": "function",
        "function": {"name": call.get("name", ""), "arguments": arguments},
    }


def usage(metadata: dict[str, Any]) -> dict[str, Any]:
    # Gemini omits zero counts. Tool-use prompt tokens were read like prompt tokens and
    # thinking tokens were generated like answer tokens, so each counts with its kind.
    prompt = metadata.get("promptTokenCount", 0) + metadata.get("toolUsePromptTokenCount", 0)
    thoughts = metadata.get("thoughtsTokenCount", 0)
    completion = metadata.get("candidatesTokenCount", 0) + thoughts
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": metadata.get("totalTokenCount", prompt + completion),
        "prompt_tokens_details": {"cached_tokens": metadata.get("cachedContentTokenCount", 0)},
        "completion_tokens_details": {"reasoning_tokens": thoughts},
    }


def completion_id(response: dict[str, Any]) -> str:
    return f"chatcmpl-{response.get('responseId') or secrets.token_hex(12)}"


def completion_body(response: dict[str, Any], model: str) -> bytes:
    candidates = response.get("candidates") or []
    choices = [_choice(c) for c in candidates] or [_blocked(response)]
    body = {
        "id": completion_id(response),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": response.get("modelVersion") or model,
        "choices": choices,
        "usage": usage(response.get("usageMetadata") or {}),
    }
    return orjson.dumps(body)


def _choice(candidate: dict[str, Any]) -> dict[str, Any]:
    text, calls = split_parts((candidate.get("content") or {}).get("parts") or [])
    message: dict[str, Any] = {"role": "assistant", "content": text or (None if calls else "")}
    message["refusal"] = None
    if calls:
        message["tool_calls"] = calls
    finish = finish_reason(candidate.get("finishReason", "STOP"), bool(calls))
    return {
        "index": candidate.get("index", 0),
        "message": message,
        "logprobs": None,
        "finish_reason": finish,
    }


def _blocked(response: dict[str, Any]) -> dict[str, Any]:
    """No candidate at all: the prompt itself was blocked (promptFeedback.blockReason)."""
    blocked = bool((response.get("promptFeedback") or {}).get("blockReason"))
    message = {"role": "assistant", "content": "", "refusal": None}
    finish = "content_filter" if blocked else "stop"
    return {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
