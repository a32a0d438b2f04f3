"""The router's fast path for a model with one deployment, against its general path.

    .venv/bin/python bench/router_solo.py

Runs the gateway core in process (demo model, metrics off) with the prebuilt solo lane and
with it disabled, interleaved, and prints the median µs a request of each.
"""

import asyncio
import statistics
import time

import orjson

from ferrogate.config import parse_config
from ferrogate.gateway import Gateway, Request

CONFIG = """
models: [{name: demo, deployments: [{provider: demo, model: demo}]}]
telemetry: {metrics: false}
"""
BODY = orjson.dumps({"model": "demo", "messages": [{"role": "user", "content": "hello there"}]})
ROUNDS, REQUESTS = 7, 5000


async def per_request_us(gateway: Gateway, requests: int = REQUESTS) -> float:
    headers = {"content-type": "application/json"}
    started = time.perf_counter()
    for _ in range(requests):
        await gateway.handle(Request("POST", "/v1/chat/completions", headers, BODY))
    return (time.perf_counter() - started) / requests * 1e6


async def main() -> None:
    config = parse_config(CONFIG, "bench", {})
    solo = Gateway.from_config(config, master_key="")
    general = Gateway.from_config(config, master_key="")
    general._registry.resolve("demo").router._solo = None  # the path every request took before
    await per_request_us(solo, 1000)
    await per_request_us(general, 1000)
    fast, slow = [], []
    for _ in range(ROUNDS):
        fast.append(await per_request_us(solo))
        slow.append(await per_request_us(general))
    print(f"{'path':<10}{'µs/request (median of 7)':>28}")
    print(f"{'solo lane':<10}{statistics.median(fast):>28.1f}")
    print(f"{'general':<10}{statistics.median(slow):>28.1f}")


if __name__ == "__main__":
    asyncio.run(main())
