"""Real gateways with the semantic cache on, and the request helpers the cache tests share.

The demo model quotes the prompt it answered, so an answer served from the cache for a
paraphrase quotes the original wording: with the `x-ferrogate-cache` header, that tells a
hit from a miss without looking inside the gateway.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import openai
import yaml

from tests.http.raw import Reply, post_json
from tests.support.processes import ferrogate_command, free_port, running

CACHE_HEADER = "x-ferrogate-cache"
SIMILARITY_HEADER = "x-ferrogate-cache-similarity"
NAMESPACE_HEADER = "x-ferrogate-cache-namespace"
NO_CACHE = {"cache-control": "no-cache"}
NO_STORE = {"cache-control": "no-store"}
SERVERS = ("granian", "robyn")

# Fills run after the answer, off the request path; a few seconds covers the embedding
# and the write on a loaded machine.
FILL_WAIT_S = 5.0
POLL_INTERVAL_S = 0.1

T = TypeVar("T")


def cache_config(**cache: Any) -> dict:
    """A config serving only the demo model, with the cache on (overrides in `cache`)."""
    demo = {"provider": "demo", "model": "demo", "chunk_delay_ms": 0}
    return {
        "cache": {"enabled": True, "threshold": 0.84, "ttl_s": 86_400, "l1_capacity": 10_000}
        | cache,
        "models": [{"name": "demo", "deployments": [demo]}],
    }


def chat_body(prompt: str, *, system: str | None = None, **params: Any) -> dict:
    messages = [{"role": "system", "content": system}] if system is not None else []
    messages.append({"role": "user", "content": prompt})
    return {"model": "demo", "messages": messages, **params}


def cache_state(reply: Reply) -> str | None:
    return reply.headers.get(CACHE_HEADER)


def answer_of(reply: Reply) -> str:
    assert reply.status == 200, reply.body[:500]
    return reply.json()["choices"][0]["message"]["content"]


def quoting(prompt: str) -> str:
    """The fragment of the demo's answer that names the prompt it answered."""
    return f'You said: "{prompt}"'


def poll(attempt: Callable[[], T], done: Callable[[T], bool], limit_s: float = FILL_WAIT_S) -> T:
    """Repeat `attempt` until `done` accepts its result or `limit_s` passes; the last result."""
    deadline = time.monotonic() + limit_s
    result = attempt()
    while not done(result) and time.monotonic() < deadline:
        time.sleep(POLL_INTERVAL_S)
        result = attempt()
    return result


@dataclass(frozen=True)
class CacheGateway:
    server: str
    url: str

    def client(self, **kwargs: Any) -> openai.OpenAI:
        return openai.OpenAI(
            base_url=f"{self.url}/v1", api_key="sk-client", max_retries=0, **kwargs
        )

    def chat(self, prompt: str, *, headers: dict[str, str] | None = None, **body: Any) -> Reply:
        """One chat completion over plain HTTP; `body` goes to `chat_body`."""
        return post_json(f"{self.url}/v1/chat/completions", chat_body(prompt, **body), headers)

    def chat_until(
        self,
        states: set[str],
        prompt: str,
        *,
        headers: dict[str, str] | None = None,
        **body: Any,
    ) -> Reply:
        """Repeat a request until its cache state is in `states` (bounded by FILL_WAIT_S).

        The repeats send `cache-control: no-store`, so a repeat that misses does not fill
        the cache itself and turn the next repeat into a hit for the wrong reason.
        """
        quiet = {**(headers or {}), **NO_STORE}
        return poll(lambda: self.chat(prompt, headers=quiet, **body), _state_in(states))

    def wait_for_fill(
        self, prompt: str, *, headers: dict[str, str] | None = None, **body: Any
    ) -> Reply:
        """Wait until the request answered just before is cached (an exact repeat hits)."""
        reply = self.chat_until({"hit-exact"}, prompt, headers=headers, **body)
        assert cache_state(reply) == "hit-exact", f"not cached within {FILL_WAIT_S}s: {reply}"
        return reply


def _state_in(states: set[str]) -> Callable[[Reply], bool]:
    return lambda reply: cache_state(reply) in states


@contextmanager
def running_cache_gateway(
    config_dir: Path,
    server: str = "granian",
    redis_url: str | None = None,
    **cache: Any,
) -> Iterator[CacheGateway]:
    """`ferrogate serve` with the cache on; L2 on Redis only when `redis_url` is given."""
    config = config_dir / "cache-config.yaml"
    config.write_text(yaml.safe_dump(cache_config(**cache)))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = ferrogate_command(
        *("serve", "--server", server, "--port", str(port), "--config", str(config)),
        *("--log-level", "warning"),
        *(("--redis-url", redis_url) if redis_url else ()),
    )
    with running(command, f"{url}/health"):
        yield CacheGateway(server, url)
