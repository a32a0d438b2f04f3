"""An OpenAI-compatible upstream that misbehaves on purpose, one fault per base path.

Base URL `http://127.0.0.1:PORT/<fault>/v1`, where <fault> is one of:
  error500  answers 500 with an OpenAI error body
  error429  answers 429 with an OpenAI rate-limit error and retry-after
  plain502  answers 502 with a non-JSON body, as a proxy in front of a provider would
  slow      waits 10 s before answering (for timeouts)
  reset     closes the connection without answering
  cut       streams two chunks, then closes the connection without [DONE]
It runs in a thread of the test process with its own event loop.
"""

from __future__ import annotations

import asyncio
import json
import threading

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


class FaultUpstream:
    def __init__(self) -> None:
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def base_url(self, fault: str) -> str:
        return f"http://127.0.0.1:{self.port}/{fault}/v1"

    def start(self) -> FaultUpstream:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = _content_length(head)
            await reader.readexactly(length)
            fault = head.split(b" ", 2)[1].decode().strip("/").split("/")[0]
            await self._misbehave(fault, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def _misbehave(self, fault: str, writer: asyncio.StreamWriter) -> None:
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
        await writer.drain()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0
