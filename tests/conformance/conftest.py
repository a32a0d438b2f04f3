"""One gateway per front end with every provider deployed against the same mock upstream.

The mock answers every provider's wire format through one scenario engine
(python/ferrogate/mock_upstream/scenario.py), so the same prompt must come back the
same through the gateway whichever provider served it. Where a provider really does
behave differently, its `Provider` entry declares how, and the scenario asserts that.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import openai
import pytest

from tests.support.gateway_stack import gateway_client, running_gateway, running_mock


@dataclass(frozen=True)
class Provider:
    name: str
    api_prefix: str  # where the mock serves this provider's API
    # Gemini sends a function call whole, in one event; the others stream its arguments.
    streams_tool_arguments_in_pieces: bool = True

    @property
    def model(self) -> str:
        return f"conf-{self.name}"

    @property
    def upstream_model(self) -> str:
        return f"upstream-{self.name}"

    def deployment(self, mock_url: str) -> dict:
        return {
            "provider": self.name,
            "model": self.upstream_model,
            "base_url": f"{mock_url}{self.api_prefix}",
        }


PROVIDERS = (
    Provider("openai", "/v1"),
    Provider("azure", ""),
    Provider("anthropic", "/v1"),
    Provider("gemini", "/v1beta", streams_tool_arguments_in_pieces=False),
)


@dataclass(frozen=True)
class Target:
    server: str
    provider: Provider
    url: str

    @property
    def model(self) -> str:
        return self.provider.model

    def client(self) -> openai.OpenAI:
        return gateway_client(self.url)


@pytest.fixture(scope="session")
def conformance_mock() -> Iterator[str]:
    with running_mock() as url:
        yield url


@pytest.fixture(scope="session", params=["granian", "robyn"])
def conformance_gateway(request, conformance_mock, tmp_path_factory) -> Iterator[tuple[str, str]]:
    deployments = {p.model: p.deployment(conformance_mock) for p in PROVIDERS}
    config_dir = tmp_path_factory.mktemp("conformance")
    with running_gateway(deployments, config_dir, server=request.param) as url:
        yield request.param, url


@pytest.fixture(params=PROVIDERS, ids=lambda provider: provider.name)
def target(request, conformance_gateway) -> Target:
    server, url = conformance_gateway
    return Target(server, request.param, url)
