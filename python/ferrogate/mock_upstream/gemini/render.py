"""The scenario's `Reply` in Gemini's wire format: one GenerateContentResponse, or the
sequence of them a stream sends (one text piece each; the last one carries finishReason
and the final usage; a function call arrives whole)."""

import base64
import hashlib
import secrets
from typing import Any

import orjson

from ..scenario import MIDSTREAM_ERROR_AFTER, Reply, ToolCall

_FINISH = {"stop": "STOP", "length": "MAX_TOKENS", "tool_calls": "STOP", "content_filter": "SAFETY"}

_SAFETY_RATINGS = [
    {"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True},
]


def response_id() -> str:
    """As long as Gemini's ids (23 URL-safe characters)."""
    return secrets.token_urlsafe(18)[:23]


def completion(reply: Reply, model: str) -> bytes:
    parts = _parts(reply.text)
    if reply.tool_call is not None:
        parts.append(_function_call(reply.tool_call))
    last = _candidate(parts, reply.finish)
    return orjson.dumps(_response(last, reply, reply.completion_tokens, model, response_id()))


def stream_bodies(reply: Reply, model: str) -> list[bytes]:
    """Every event body of a streamed answer; a mid-stream failure stops after a few."""
    if reply.tool_call is not None or not reply.tokens:
        return [completion(reply, model)]
    rid = response_id()
    tokens = reply.tokens[:MIDSTREAM_ERROR_AFTER] if reply.midstream_error else reply.tokens
    bodies = []
    for emitted, token in enumerate(tokens, start=1):
        ends = emitted == len(reply.tokens)
        candidate = _candidate(_parts(token), reply.finish if ends else None)
        bodies.append(orjson.dumps(_response(candidate, reply, emitted, model, rid)))
    return bodies


def _parts(text: str) -> list[dict[str, Any]]:
    return [{"text": text}] if text else []


def _function_call(call: ToolCall) -> dict[str, Any]:
    # Thinking models sign each call; Gemini 3 wants the signature back with the call.
    digest = hashlib.blake2b(call.name.encode(), digest_size=48).digest()
    signature = base64.b64encode(digest).decode()
    function_call = {"name": call.name, "args": call.arguments}
    return {"functionCall": function_call, "thoughtSignature": signature}


def _candidate(parts: list[dict[str, Any]], finish: str | None) -> dict[str, Any]:
    candidate: dict[str, Any] = {}
    if parts:
        candidate["content"] = {"parts": parts, "role": "model"}
    if finish is not None:
        candidate["finishReason"] = _FINISH[finish]
        if finish == "content_filter":
            candidate["safetyRatings"] = _SAFETY_RATINGS
    candidate["index"] = 0
    return candidate


def _response(
    candidate: dict[str, Any], reply: Reply, completion_tokens: int, model: str, rid: str
) -> dict[str, Any]:
    return {
        "candidates": [candidate],
        "usageMetadata": _usage(reply.prompt_tokens, completion_tokens),
        "modelVersion": model,
        "responseId": rid,
    }


def _usage(prompt: int, completion: int) -> dict[str, Any]:
    # proto3 JSON leaves zero counts out, so a blocked answer has no candidatesTokenCount.
    usage: dict[str, Any] = {"promptTokenCount": prompt}
    if completion:
        usage["candidatesTokenCount"] = completion
    usage["totalTokenCount"] = prompt + completion
    usage["promptTokensDetails"] = [{"modality": "TEXT", "tokenCount": prompt}]
    return usage
