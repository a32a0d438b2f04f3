"""An OpenAI-compatible upstream that misbehaves on purpose, one fault per base path.

Base URL `http://127.0.0.1:PORT/<fault>/v1`, where <fault> is one of:
  error500  answers 500 with an OpenAI error body
  error429  answers 429 with an OpenAI rate-limit error and retry-after
  plain502  answers 502 with a non-JSON body, as a proxy in front of a provider would
  slow      waits 10 s before answering (for timeouts)
  reset     closes the connection without answering
  cut       streams two chunks, then closes the connection without [DONE]
It runs in a thread of the test process with its own event loop (`RawUpstream`).
"""

from __future__ import annotations

import asyncio
import json

from tests.support.raw_upstream import RawUpstream

_CHUNK = {
    "id": "chatcmpl-cut",
    "object": "chat.completion.chunk",
    "created": 1700000000,
    "model": "cut-model",
    "choices": [
        {"index": 0, "delta": {"content": "partial"}, "logprobs": None, "finish_reason": None}
    ],
}


def _response(
    status: int, reason: str, body: bytes, extra: str = "", content_type="application/json"
) -> bytes:
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\n{extra}connection: close\r\n\r\n"
    )
    return head.encode() + body


def _error_body(message: str, kind: str, code: str) -> bytes:
    return json.dumps(
        {"error": {"message": message, "type": kind, "param": None, "code": code}}
    ).encode()


_STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
)

_CANNED = {
    "error500": _response(
        500, "Internal Server Error", _error_body("The upstream broke.", "server_error", "boom")
    ),
    "error429": _response(
        429,
        "Too Many Requests",
        _error_body("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
        extra="retry-after: 7\r\n",
    ),
    "plain502": _response(
        502, "Bad Gateway", b"<html>bad gateway</html>", content_type="text/html"
    ),
}


class FaultUpstream(RawUpstream):
    async def _misbehave(
        self, fault: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        if fault in _CANNED:
            writer.write(_CANNED[fault])
        elif fault == "slow":
            await asyncio.sleep(10)
        elif fault == "cut":
            writer.write(_STREAM_HEAD)
            for _ in range(2):
                event = b"data: " + json.dumps(_CHUNK).encode() + b"\n\n"
                writer.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
            await writer.drain()
            await asyncio.sleep(0.3)  # long enough for the gateway to have started its answer
        # "reset" and anything unknown: close without a word
