"""A client that starts a streamed chat request, reads a few events, then hangs up."""

from __future__ import annotations

import socket

import orjson


def leave_a_stream(url: str, body: dict, *, after_events: int, headers: dict | None = None):
    """POST `body` to /v1/chat/completions over a raw socket and close it once `after_events`
    `data:` events have arrived, the way a user closing a tab does."""
    payload = orjson.dumps(body)
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            + f"{extra}content-length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        received = b""
        while received.count(b"data: {") < after_events:
            chunk = sock.recv(4096)
            if not chunk:
                raise AssertionError(f"the stream ended before {after_events} events")
            received += chunk
