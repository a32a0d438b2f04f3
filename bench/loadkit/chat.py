"""The chat request every target is measured with, and the check that it is answered right."""

import json
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

from loadkit.errors import BenchError
from loadkit.routes import MODEL

if TYPE_CHECKING:  # targets imports this module's request_body for its start-up check
    from loadkit.targets import Target

CHAT_BODY = {
    "model": MODEL,
    "messages": [{"role": "user", "content": "Say hello in one short sentence."}],
}
# Similarity 0.97 to CHAT_BODY's turn with the local embedder, and the hit guard allows it.
PARAPHRASE_BODY = {
    "model": MODEL,
    "messages": [{"role": "user", "content": "In one short sentence, say hello."}],
}
# request name -> (body, extra headers); `no-store` keeps the paraphrase out of the exact tier.
REQUESTS = {
    "chat": (CHAT_BODY, {}),
    "paraphrase": (PARAPHRASE_BODY, {"cache-control": "no-store"}),
    # Through a gateway with the cache on, to the upstream every time (plan.FULL_SCENARIOS).
    "uncached": (CHAT_BODY, {"cache-control": "no-cache, no-store"}),
}
CACHE_HEADER = "x-ferrogate-cache"
CHECK_REQUESTS = 2  # check_answers sends one chat and one streaming chat


def request_body(stream: bool, request: str = "chat", model: str = MODEL) -> bytes:
    body = {**REQUESTS[request][0], "model": model}
    body = {**body, "stream": True} if stream else body
    return json.dumps(body, separators=(",", ":")).encode()


def request_headers(request: str) -> dict[str, str]:
    return REQUESTS[request][1]


# A cache scenario's name (less "-stream") -> the request that must have become that hit.
PRIMED = {"hit-exact": "chat", "hit-l1": "paraphrase"}


def prime_cache(target: "Target", attempts: int = 100) -> None:
    """Fill the cache, then wait until each cached scenario's request is the hit it measures.

    check_answers has sent the chat request once; the fill runs after the answer.
    """
    hits = dict.fromkeys(s.name.removesuffix("-stream") for s in target.scenarios)
    for wanted, request in ((hit, PRIMED[hit]) for hit in hits if hit in PRIMED):
        headers = {**target.headers, **request_headers(request)}
        for _ in range(attempts):
            status, state = _cache_state(target.url, request_body(False, request), headers)
            if status == 200 and state == wanted:
                break
            time.sleep(0.05)
        else:
            raise BenchError(f"{target.name}: {request} never became {wanted} (last: {state})")


def check_answers(target: "Target") -> None:
    """A fast wrong answer (a 502, an empty stream) would make a great-looking row."""
    route = target.route("chat")
    status, body = _post(route.url, request_body(False, model=route.model), target.headers)
    if status != 200 or not _has_choices(body):
        raise BenchError(f"{target.name}: chat answered {status}: {body[:500]!r}")
    route = target.route("stream")
    status, body = _post(route.url, request_body(True, model=route.model), target.headers)
    if status != 200 or not body.rstrip().endswith(b"data: [DONE]"):
        raise BenchError(f"{target.name}: streaming chat answered {status}: {body[-500:]!r}")


def _cache_state(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str | None]:
    headers = {**headers, "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status, response.headers.get(CACHE_HEADER)
    except urllib.error.HTTPError as error:
        return error.code, None
    except OSError as error:
        raise BenchError(f"POST {url} failed: {error}") from error


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
