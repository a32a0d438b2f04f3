"""One gateway per front end with every provider deployed against the same mock upstream.

The mock answers every provider's wire format through one scenario engine
(python/ferrogate/mock_upstream/scenario.py), so the same prompt must come back the
same through the gateway whichever provider served it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openai
import pytest
import yaml

from tests.support.processes import ferrogate_command, free_port, running

PROVIDERS = ("openai", "azure", "anthropic", "gemini")
MOCK_KEY = "sk-conformance"


@dataclass(frozen=True)
class Target:
    server: str
    provider: str
    url: str

    @property
    def model(self) -> str:
        return f"conf-{self.provider}"

    def client(self) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key="sk-client", max_retries=0)


def _deployment(provider: str, mock: str) -> dict:
    base_urls = {
        "openai": f"{mock}/v1",
        "azure": mock,
        "anthropic": f"{mock}/v1",
        "gemini": f"{mock}/v1beta",
    }
    return {
        "provider": provider,
        "model": f"upstream-{provider}",
        "base_url": base_urls[provider],
        "api_key": MOCK_KEY,
    }


@pytest.fixture(scope="session")
def conformance_mock() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running(ferrogate_command("mock-upstream", "--port", str(port)), f"{url}/v1/models"):
        yield url


@pytest.fixture(scope="session", params=["granian", "robyn"])
def conformance_gateway(request, conformance_mock, tmp_path_factory) -> Iterator[str]:
    models = [
        {"name": f"conf-{p}", "deployments": [_deployment(p, conformance_mock)]} for p in PROVIDERS
    ]
    config = Path(tmp_path_factory.mktemp("conformance")) / "config.yaml"
    config.write_text(yaml.safe_dump({"models": models}))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = ferrogate_command(
        "serve", "--server", request.param, "--port", str(port), "--config", str(config)
    )
    with running(command, f"{url}/health"):
        yield request.param, url


@pytest.fixture(params=PROVIDERS)
def target(request, conformance_gateway) -> Target:
    server, url = conformance_gateway
    return Target(server, request.param, url)
