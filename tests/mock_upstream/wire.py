"""Plain http.client calls to a mock, one connection each, so a reset hits only its request."""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

AUTH = {
    "authorization": "Bearer sk-test",
    "x-api-key": "sk-test",  # Anthropic
    "api-key": "sk-test",  # Azure
    "x-goog-api-key": "sk-test",  # Gemini
    "content-type": "application/json",
}
MESSAGES = [{"role": "user", "content": "Say hello in one short sentence."}]
# One chat request per provider's wire format: (path, body without "stream").
CHAT = {
    "openai": ("/v1/chat/completions", {"model": "m", "messages": MESSAGES}),
    "azure": (
        "/openai/deployments/d/chat/completions?api-version=2024-10-21",
        {"messages": MESSAGES},
    ),
    "anthropic": ("/v1/messages", {"model": "m", "max_tokens": 50, "messages": MESSAGES}),
    "gemini": (
        "/v1beta/models/g:generateContent",
        {"contents": [{"role": "user", "parts": [{"text": MESSAGES[0]["content"]}]}]},
    ),
}
STREAM_PATHS = {"gemini": "/v1beta/models/g:streamGenerateContent?alt=sse"}


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    error: Exception | None = None  # the connection failed after `body` arrived
    first_byte_s: float = 0.0  # from sending the request to the first body bytes

    def json(self) -> dict:
        return json.loads(self.body)


def call(base_url: str, method: str, path: str, body: dict | None = None) -> Answer:
    """One request, its whole answer; a reset raises (ConnectionError, RemoteDisconnected)."""
    connection = _connect(base_url)
    try:
        data = None if body is None else json.dumps(body).encode()
        connection.request(method, path, data, AUTH)
        response = connection.getresponse()
        return Answer(response.status, dict(response.headers), response.read())
    finally:
        connection.close()


def chat(base_url: str, provider: str = "openai", stream: bool = False) -> Answer:
    path, body = CHAT[provider]
    if stream:
        return read_stream(base_url, STREAM_PATHS.get(provider, path), {**body, "stream": True})
    return call(base_url, "POST", path, body)


def read_stream(base_url: str, path: str, body: dict) -> Answer:
    """A streamed answer read as it comes; a connection dropped midway is kept in `error`."""
    connection = _connect(base_url)
    started = time.monotonic()
    first_byte_s = 0.0
    try:
        connection.request("POST", path, json.dumps(body).encode(), AUTH)
        response = connection.getresponse()
        received, error = b"", None
        try:
            while chunk := response.read1(65536):
                first_byte_s = first_byte_s or time.monotonic() - started
                received += chunk
        except (http.client.IncompleteRead, ConnectionError) as dropped:
            error = dropped
        return Answer(response.status, dict(response.headers), received, error, first_byte_s)
    finally:
        connection.close()


def sse_data(body: bytes) -> list[str]:
    """The data lines of an SSE body (complete events only)."""
    events = body.decode().replace("\r\n", "\n").split("\n\n")[:-1]
    return [
        line[len("data: ") :] for e in events for line in e.split("\n") if line.startswith("data: ")
    ]


def _connect(base_url: str) -> http.client.HTTPConnection:
    parts = urlsplit(base_url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)


def set_faults(base_url: str, **fields: object) -> dict:
    answer = call(base_url, "POST", "/_faults", fields)
    assert answer.status == 200, answer.body
    return answer.json()


def stats(base_url: str) -> dict:
    return call(base_url, "GET", "/_stats").json()


def wait_for_stats(base_url: str, done, limit_s: float = 10.0) -> dict:
    """The mock's counts once `done(counts)` holds: it learns of a closed client a bit later."""
    deadline = time.monotonic() + limit_s
    while not done(counts := stats(base_url)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return counts
