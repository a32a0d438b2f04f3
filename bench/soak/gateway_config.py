"""The gateway the soak runs: keys, limits and spend in Redis, the cache, usage log, metrics."""

from pathlib import Path

import yaml

from loadkit.targets import base_url

UPSTREAM_MODEL = "soak-upstream"  # the mock answers any model id; this one is priced
MOCK_API_KEY = "sk-soak"
RETRIED_MODEL = "soak"  # upstream faults are retried: clients rarely see them
RAW_MODEL = "soak-raw"  # no retries: the mock's faults reach clients as 5xx
MODELS = (RETRIED_MODEL, RAW_MODEL)
# Far below the defaults (10,000 each), so the caches reach their bound within the warm-up
# (traffic.MIX fills ~30 entries a second at 300 req/s) and RSS after it measures a steady
# state, not a cache still filling with new prompts.
CACHE_CAPACITY = 1_000


def write_config(workdir: Path, mock_port: int, master_key: str) -> Path:
    upstream = {
        "provider": "openai",
        "model": UPSTREAM_MODEL,
        "base_url": f"{base_url(mock_port)}/v1",
        "api_key": MOCK_API_KEY,
    }
    config = {
        "keys": {"master_key": master_key},  # store auto: Redis, as --redis-url is given
        "prices": {UPSTREAM_MODEL: {"input_per_mtok": 1.0, "output_per_mtok": 2.0}},
        "cache": {
            "enabled": True,
            "l1_capacity": CACHE_CAPACITY,
            "exact_capacity": CACHE_CAPACITY,
        },
        "telemetry": {
            "metrics": True,
            "usage_log": "file",
            "usage_log_path": str(workdir / "usage.jsonl"),
        },
        # Short back-off, so a retried fault holds its request for tens of milliseconds,
        # not seconds: the soak is about leaks, not about waiting.
        "routing": {"retry_base_delay_s": 0.02, "retry_max_delay_s": 0.2},
        "models": [
            {"name": RETRIED_MODEL, "deployments": [upstream]},
            {"name": RAW_MODEL, "deployments": [{**upstream, "max_retries": 0}]},
        ],
    }
    path = workdir / "gateway.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path
