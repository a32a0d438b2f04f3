"""The chat request every target is measured with, and the check that it is answered right."""

import json
import urllib.error
import urllib.request

from loadkit.errors import BenchError
from loadkit.targets import Target

CHAT_BODY = {
    "model": "bench-model",
    "messages": [{"role": "user", "content": "Say hello in one short sentence."}],
}


def request_body(stream: bool) -> bytes:
    body = {**CHAT_BODY, "stream": True} if stream else CHAT_BODY
    return json.dumps(body, separators=(",", ":")).encode()


def check_answers(target: Target) -> None:
    """A fast wrong answer (a 502, an empty stream) would make a great-looking row."""
    status, body = _post(target.url, request_body(stream=False), target.headers)
    if status != 200 or not _has_choices(body):
        raise BenchError(f"{target.name}: chat answered {status}: {body[:500]!r}")
    status, body = _post(target.url, request_body(stream=True), target.headers)
    if status != 200 or not body.rstrip().endswith(b"data: [DONE]"):
        raise BenchError(f"{target.name}: streaming chat answered {status}: {body[-500:]!r}")


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    headers = {**headers, "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:
        raise BenchError(f"POST {url} failed: {error}") from error


def _has_choices(body: bytes) -> bool:
    try:
        return bool(json.loads(body).get("choices"))
    except (ValueError, AttributeError):
        return False
