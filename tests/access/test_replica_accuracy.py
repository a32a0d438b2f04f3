"""Three gateway processes share one Redis; one key is driven over its RPM and TPM from all.

Redis holds the truth, so the key's limits are global: what the three admit together stays
within the bucket (capacity plus refill over the run) give or take 1%.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import ExitStack

import httpx

from tests.access.keyed import MASTER_KEY, running_keyed_gateway

INSTANCES = 3
CLIENTS_PER_INSTANCE = 6
RUN_S = 4.0


async def _drive(urls: list[str], key: str, body: dict) -> tuple[int, int, float]:
    """(admitted requests, their tokens, seconds from first send to last answer)."""
    admitted = tokens = 0
    stop_at = time.monotonic() + RUN_S
    headers = {"authorization": f"Bearer {key}"}

    async def client(url: str) -> None:
        nonlocal admitted, tokens
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            while time.monotonic() < stop_at:
                answer = await http.post("/v1/chat/completions", json=body, headers=headers)
                if answer.status_code == 200:
                    admitted += 1
                    tokens += answer.json()["usage"]["total_tokens"]
                else:
                    assert answer.status_code == 429, answer.text

    started = time.monotonic()
    await asyncio.gather(*(client(url) for url in urls for _ in range(CLIENTS_PER_INSTANCE)))
    return admitted, tokens, time.monotonic() - started


def _bound(per_minute: int, elapsed_s: float) -> float:
    return per_minute + per_minute / 60 * elapsed_s


def test_limits_hold_across_three_instances(tmp_path, redis_stack_url, redis_client):
    with ExitStack() as stack:
        gateways = [
            stack.enter_context(running_keyed_gateway(tmp_path / str(i), redis_url=redis_stack_url))
            for i in range(INSTANCES)
            if not (tmp_path / str(i)).mkdir()
        ]
        urls = [g.url for g in gateways]
        prompt = {"model": "demo", "messages": [{"role": "user", "content": "hello"}]}

        by_requests = gateways[0].create_key(rpm=300)["key"]
        admitted, _, elapsed = asyncio.run(_drive(urls, by_requests, prompt))
        request_overshoot = admitted / _bound(300, elapsed) - 1
        print(f"\nRPM 300, {elapsed:.1f}s: {admitted} admitted, overshoot {request_overshoot:+.2%}")
        assert request_overshoot <= 0.01
        assert admitted >= 0.9 * 300

        # max_tokens above the demo's real answer: reservations settle down, never up.
        by_tokens = gateways[1].create_key(tpm=12_000)["key"]
        body = {**prompt, "max_tokens": 64}
        admitted, tokens, elapsed = asyncio.run(_drive(urls, by_tokens, body))
        token_overshoot = tokens / _bound(12_000, elapsed) - 1
        print(
            f"TPM 12000 over {elapsed:.1f}s: {admitted} requests, {tokens} tokens, "
            f"overshoot {token_overshoot:+.2%}"
        )
        assert token_overshoot <= 0.01
        assert tokens >= 0.5 * 12_000  # refunds return what reservations did not use
    assert MASTER_KEY
