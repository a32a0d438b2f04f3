"""Two live Granian gateways for the OpenAPI tests, each started once for the package.

`open_gateway` is `ferrogate serve` as shipped: the embedded default config and no master
key, so only the demo model answers and /admin/* is off. `keyed_gateway` has a master key,
the response cache on (so /admin/cache/{namespace} answers) and an embeddings model on the
mock upstream (so /v1/embeddings has successes to check, not only refusals).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.access.keyed import MASTER_KEY, KeyedGateway, running_keyed_gateway
from tests.support.gateway_stack import running_mock
from tests.support.processes import ferrogate_command, free_port, running

# Blank provider keys: with one set in the environment the embedded default would route
# fuzzed requests to a real provider.
_NO_PROVIDERS = {name: "" for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY")}
EMBEDDING_MODEL = "text-embedding-3-small"  # the example the document gives for `model`


@pytest.fixture(scope="package")
def open_gateway() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = ferrogate_command("serve", "--port", str(port), "--log-level", "warning")
    env = {**_NO_PROVIDERS, "FERROGATE_MASTER_KEY": "", "FERROGATE_DEMO_CHUNK_DELAY_MS": "0"}
    with running(serve, f"{url}/health", env):
        yield url


@pytest.fixture(scope="package")
def keyed_gateway(tmp_path_factory) -> Iterator[KeyedGateway]:
    config_dir = Path(tmp_path_factory.mktemp("keyed"))
    with running_mock() as mock_url:
        models = {
            "demo": {"provider": "demo", "model": "demo", "chunk_delay_ms": 0},
            EMBEDDING_MODEL: {
                "provider": "openai",
                "model": EMBEDDING_MODEL,
                "base_url": f"{mock_url}/v1",
                "max_retries": 0,
            },
        }
        settings = {"cache": {"enabled": True}}
        with running_keyed_gateway(
            config_dir, models=models, settings=settings, log_level="warning"
        ) as gateway:
            yield gateway


@pytest.fixture(scope="package")
def document(open_gateway) -> dict:
    return httpx.get(f"{open_gateway}/openapi.json", timeout=10).json()


MASTER = {"authorization": f"Bearer {MASTER_KEY}"}
