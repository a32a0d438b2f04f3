"""Known traffic through a keyed gateway, and the figures it must produce, counted here from
what was sent and from the usage in the answers (not read back from /admin/stats)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import httpx

# $100 and $200 a million tokens: a cent per hundred prompt tokens, costs exact to 1e-4 $.
PRICE_IN_PER_TOKEN = 100.0 / 1_000_000
PRICE_OUT_PER_TOKEN = 200.0 / 1_000_000
UPSTREAM_MODEL = "mock-gpt"
SERVED_MODELS = ("chat", "fast")  # both the mock, each its own deployment
PRICES = {
    UPSTREAM_MODEL: {
        "input_per_mtok": PRICE_IN_PER_TOKEN * 1_000_000,
        "output_per_mtok": PRICE_OUT_PER_TOKEN * 1_000_000,
    }
}
# Operators name keys: the page must show this as text, not as markup.
TEAM_NAME = '<b>team "a"</b> & <script>x</script>'
TEAM_BUDGET_USD = 0.05
LIMITED_RPM = 3


@dataclass
class Usage:
    requests: int = 0
    prompt: int = 0
    completion: int = 0

    def add(self, usage: dict | None) -> None:
        self.requests += 1
        if usage:
            self.prompt += usage["prompt_tokens"]
            self.completion += usage["completion_tokens"]

    @property
    def cost(self) -> float:
        return self.prompt * PRICE_IN_PER_TOKEN + self.completion * PRICE_OUT_PER_TOKEN


@dataclass
class Sent:
    requests: int = 0
    client_errors: int = 0
    rate_limited: int = 0
    models: dict[str, Usage] = field(default_factory=dict)
    keys: dict[str, Usage] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)  # deployment id: upstream calls
    cache: dict[str, int] = field(default_factory=dict)  # x-ferrogate-cache: answers


def _chat_body(model: str, n: int, stream: bool, content: str | None) -> dict:
    content = content or f"question number {n}"
    body = {"model": model, "messages": [{"role": "user", "content": content}]}
    if stream:
        body |= {"stream": True, "stream_options": {"include_usage": True}}
    return body


def _streamed_usage(answer: httpx.Response) -> dict:
    usage = None
    for line in answer.text.splitlines():
        if line.startswith("data: {"):
            usage = json.loads(line[len("data: ") :]).get("usage") or usage
    assert usage, answer.text
    return usage


def send(http: httpx.Client, sent: Sent, key: tuple[str, str], model: str, n: int,
         stream: bool = False, content: str | None = None) -> int:  # fmt: skip
    """One chat completion with `key` (id, secret), counted into `sent`; its status."""
    key_id, secret = key
    answer = http.post(
        "/v1/chat/completions",
        json=_chat_body(model, n, stream, content),
        headers={"authorization": f"Bearer {secret}"},
    )
    sent.requests += 1
    usage = None
    cache = answer.headers.get("x-ferrogate-cache")
    if cache is not None:
        sent.cache[cache] = sent.cache.get(cache, 0) + 1
    if answer.status_code == 200 and not (cache or "").startswith("hit"):
        usage = _streamed_usage(answer) if stream else answer.json()["usage"]
        deployment = f"{model}#0"
        sent.attempts[deployment] = sent.attempts.get(deployment, 0) + 1
    # A cached answer repeats the first one's usage, but nothing was billed upstream: the
    # gateway counts it as a request with no tokens and no cost.
    elif 400 <= answer.status_code < 500:
        sent.client_errors += 1
        sent.rate_limited += answer.status_code == 429
    # A model the gateway does not serve is counted as "other": names clients invent
    # must not grow the table.
    label = model if model in SERVED_MODELS else "other"
    sent.models.setdefault(label, Usage()).add(usage)
    sent.keys.setdefault(key_id, Usage()).add(usage)
    return answer.status_code
