"""An OpenAI-compatible upstream that misbehaves after accepting the request, one way per
base path (`http://127.0.0.1:PORT/<fault>/v1`):

  hang             reads the request, then never answers (the connection stays open)
  html200          200 with an HTML page, as a captive portal or a misrouted proxy would
  json200-garbage  200 labelled application/json whose body is not JSON
  garbage-stream   an SSE stream: a good chunk, a `data:` line that is not JSON, then more
  binary-stream    an SSE stream: a good chunk, then raw bytes with NULs and invalid UTF-8

Runs in a thread of the test process with its own event loop; `hung` counts the
connections left hanging that the gateway has since closed.
"""

from __future__ import annotations

import asyncio
import json
import threading

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


class MisbehavingUpstream:
    def __init__(self) -> None:
        self.port = 0
        self.hung_closed_by_client = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def base_url(self, fault: str) -> str:
        return f"http://127.0.0.1:{self.port}/{fault}/v1"

    def __enter__(self) -> MisbehavingUpstream:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc_info: object) -> None:
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
            await reader.readexactly(_content_length(head))
            fault = head.split(b" ", 2)[1].decode().strip("/").split("/")[0]
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
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0
