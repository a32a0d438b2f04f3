"""An OpenAI-compatible upstream that misbehaves after accepting the request, one way per
base path (`http://127.0.0.1:PORT/<fault>/v1`):

  hang             reads the request, then never answers (the connection stays open)
  html200          200 with an HTML page, as a captive portal or a misrouted proxy would
  json200-garbage  200 labelled application/json whose body is not JSON
  garbage-stream   an SSE stream: a good chunk, a `data:` line that is not JSON, then more
  binary-stream    an SSE stream: a good chunk, then raw bytes with NULs and invalid UTF-8

Runs in a thread of the test process with its own event loop (`RawUpstream`); `hung` counts the
connections left hanging that the gateway has since closed.
"""

from __future__ import annotations

import asyncio
import json

from tests.support.raw_upstream import RawUpstream

_CHUNK = json.dumps(
    {
        "id": "chatcmpl-x",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "x",
        "choices": [{"index": 0, "delta": {"content": "fine"}, "finish_reason": None}],
    }
).encode()
_STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
)


def _answer(body: bytes, content_type: str) -> bytes:
    head = f"HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n"
    return head.encode() + b"connection: close\r\n\r\n" + body


def _chunked(*events: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(event), event) for event in events)


_CANNED = {
    "html200": _answer(b"<html><body>Please log in</body></html>", "text/html"),
    "json200-garbage": _answer(b"{'not': json,,", "application/json"),
}
_STREAMS = {
    "garbage-stream": (b"data: {this is not json\n\n", b"data: " + _CHUNK + b"\n\n"),
    "binary-stream": (b"data: \x00\xff\xfe\x80garbage\x00\n\n", b"\x00\x01\xff\n\n"),
}


class MisbehavingUpstream(RawUpstream):
    def __init__(self) -> None:
        super().__init__()
        self.hung_closed_by_client = 0

    async def _misbehave(
        self, fault: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        if fault == "hang":
            if await reader.read(1) == b"":  # nothing is sent; wait for the client to go
                self.hung_closed_by_client += 1
        elif fault in _CANNED:
            writer.write(_CANNED[fault])
        elif fault in _STREAMS:
            bad, after = _STREAMS[fault]
            writer.write(_STREAM_HEAD + _chunked(b"data: " + _CHUNK + b"\n\n", bad, after))
            await writer.drain()
            await asyncio.sleep(0.2)  # the gateway has started its answer by now
            writer.write(_chunked(b"data: [DONE]\n\n", b""))
