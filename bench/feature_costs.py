"""What each optional stage adds to a request in process: one gateway per feature, against
one with everything off, interleaved rounds, medians.

    .venv/bin/python bench/feature_costs.py [--requests 3000] [--rounds 5]

The demo model answers in process, so the figures are the gateway core's own CPU per
request, without HTTP or an upstream: where `granian-full` loses against `granian-bare`
in bench/load.py. Chat requests are sent with `cache-control: no-cache, no-store`, so with
the cache on they bypass it, as in `granian-full`.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import orjson
import uvloop

from ferrogate.config import parse_config
from ferrogate.gateway import Gateway, Request

MASTER = "mk-bench-feature-costs"
BODY = orjson.dumps({"model": "demo", "messages": [{"role": "user", "content": "hello there"}]})
BASE = (
    "models: [{name: demo, deployments: [{provider: demo, model: demo, chunk_delay_ms: 0}]}]\n"
    "prices: {demo: {input_per_mtok: 1.0, output_per_mtok: 2.0}}\n"
)
OFF = 'metrics: false, usage_log: "off", dashboard: false'
ROOMY_KEY = {"rpm": 10**7, "tpm": 10**9, "max_budget_usd": 10**6}


def variants(folder: Path) -> dict[str, tuple[str, dict | None]]:
    """name -> (config beyond BASE, the virtual key's fields or None for no keys)."""

    def keys(store: str) -> str:
        return f"keys: {{master_key: {MASTER}, sqlite_path: {folder / store}.sqlite3}}\n"

    usage = f"usage_log: file, usage_log_path: {folder / 'usage.jsonl'}"
    return {
        "bare": (f"telemetry: {{{OFF}}}\n", None),
        "metrics": ('telemetry: {metrics: true, usage_log: "off", dashboard: false}\n', None),
        "usage log": (f"telemetry: {{metrics: false, dashboard: false, {usage}}}\n", None),
        "dashboard": ('telemetry: {metrics: false, usage_log: "off", dashboard: true}\n', None),
        "cache (bypassed)": (f"telemetry: {{{OFF}}}\ncache: {{enabled: true}}\n", None),
        "keys": (f"telemetry: {{{OFF}}}\n" + keys("plain"), {}),
        "keys + limits + budget": (f"telemetry: {{{OFF}}}\n" + keys("full"), ROOMY_KEY),
    }


async def per_request_us(config: str, key_fields: dict | None, requests: int) -> float:
    gateway = Gateway.from_config(
        parse_config(BASE + config, "bench", {}),
        master_key=MASTER if key_fields is not None else "",
    )
    headers = {"content-type": "application/json", "cache-control": "no-cache, no-store"}
    if key_fields is not None:
        admin = {"authorization": f"Bearer {MASTER}", "content-type": "application/json"}
        created = await gateway.handle(
            Request("POST", "/admin/keys", admin, orjson.dumps(key_fields))
        )
        headers["authorization"] = "Bearer " + orjson.loads(created.body)["key"]
    for _ in range(300):  # warm: verified-key cache, buckets, label children
        await gateway.handle(Request("POST", "/v1/chat/completions", headers, BODY))
    started = time.perf_counter()
    for _ in range(requests):
        answer = await gateway.handle(Request("POST", "/v1/chat/completions", headers, BODY))
    took = time.perf_counter() - started
    assert answer.status == 200, answer.body
    await gateway.aclose()
    return took / requests * 1e6


async def main(requests: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        table = variants(Path(folder))
        samples: dict[str, list[float]] = {name: [] for name in table}
        for _ in range(rounds):
            for name, (config, key_fields) in table.items():
                samples[name].append(await per_request_us(config, key_fields, requests))
    bare = statistics.median(samples["bare"])
    print(f"{'feature':<24}{'µs/request':>11}{'added':>9}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:<24}{median:>11.1f}{median - bare:>+9.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    uvloop.run(main(args.requests, args.rounds))
