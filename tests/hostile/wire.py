"""Raw-socket clients for requests no HTTP library would send: cut, trickled, malformed."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass

CHAT = "/v1/chat/completions"


@dataclass(frozen=True)
class Answer:
    """What came back before the server closed the connection (status 0: nothing at all)."""

    status: int
    body: bytes
    seconds: float  # from the last byte sent to the close

    @property
    def error(self) -> dict:
        return json.loads(self.body)["error"]


def request_bytes(
    body: bytes,
    *,
    path: str = CHAT,
    content_type: str = "application/json",
    content_length: int | None = None,
    extra_headers: bytes = b"",
) -> bytes:
    length = len(body) if content_length is None else content_length
    head = (
        f"POST {path} HTTP/1.1\r\nhost: gateway\r\nconnection: close\r\n"
        f"content-type: {content_type}\r\ncontent-length: {length}\r\n"
    ).encode()
    return head + extra_headers + b"\r\n" + body


def exchange(url: str, data: bytes, timeout_s: float = 10) -> Answer:
    """Send `data` at once and read until the server closes (or `timeout_s` passes)."""
    with connect(url, timeout_s) as sock:
        sock.sendall(data)
        return read_answer(sock, timeout_s)


def connect(url: str, timeout_s: float) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout_s)
    sock.settimeout(timeout_s)
    return sock


def read_answer(sock: socket.socket, timeout_s: float) -> Answer:
    started = time.monotonic()
    received = b""
    deadline = started + timeout_s
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except (TimeoutError, ConnectionResetError):
            break
        if not chunk:
            break
        received += chunk
    return _parse(received, time.monotonic() - started)


def trickle(sock: socket.socket, data: bytes, pause_s: float, until_s: float) -> bool:
    """Send `data` a byte at a time; False once the server has closed the connection."""
    stop = time.monotonic() + until_s
    for byte in data:
        if time.monotonic() > stop:
            return True
        try:
            sock.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            return False
        time.sleep(pause_s)
    return True


def _parse(received: bytes, seconds: float) -> Answer:
    head, _, body = received.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 "):
        return Answer(0, received, seconds)
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        body = _unchunk(body)
    return Answer(status, body, seconds)


def _unchunk(body: bytes) -> bytes:
    out = b""
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return out
