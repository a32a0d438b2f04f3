"""One gateway per front end, in front of a real mock upstream and a faulty one.

Every test that takes `gateway` runs against both Granian and Robyn over real sockets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openai
import pytest

from tests.support.fault_upstream import FaultUpstream
from tests.support.gateway_stack import running_gateway, running_mock
from tests.support.processes import free_port

MAX_BODY_BYTES = 1024 * 1024
UPSTREAM_KEY = "sk-upstream-test"


@dataclass(frozen=True)
class Gateway:
    server: str
    url: str

    def client(self, **kwargs) -> openai.OpenAI:
        return openai.OpenAI(
            base_url=f"{self.url}/v1", api_key="sk-client", max_retries=0, **kwargs
        )


@pytest.fixture(scope="session")
def mock_upstream_url() -> Iterator[str]:
    with running_mock() as url:
        yield f"{url}/v1"


@pytest.fixture(scope="session")
def fault_upstream() -> Iterator[FaultUpstream]:
    server = FaultUpstream().start()
    yield server
    server.stop()


def _openai(model: str, base_url: str, **extra) -> dict:
    return {
        "provider": "openai",
        "model": model,
        "base_url": base_url,
        "api_key": UPSTREAM_KEY,
        **extra,
    }


def gateway_deployments(mock_url: str, faults: FaultUpstream) -> dict[str, dict]:
    closed = f"http://127.0.0.1:{free_port()}/v1"
    models = {
        "demo": {"provider": "demo", "model": "demo"},
        "mock-gpt": _openai("mock-gpt", mock_url),
        "mock-alias": _openai("upstream-model-id", mock_url),
        "refused": _openai("x", closed),
        "slow": _openai("x", faults.base_url("slow"), timeout_s=0.5),
        "nokey": {"provider": "openai", "model": "x", "api_key": ""},
        "mock-embed": _openai("text-embedding-3-small", mock_url),
        "azure-embed": {
            "provider": "azure",
            "model": "embedding-deployment",
            "base_url": mock_url.removesuffix("/v1"),  # Azure's URLs start at the resource
            "api_key": UPSTREAM_KEY,
        },
        **{
            fault: _openai("x", faults.base_url(fault))
            for fault in ("error500", "error429", "plain502", "reset", "cut")
        },
    }
    return models


@pytest.fixture(scope="session", params=["granian", "robyn"])
def gateway(request, mock_upstream_url, fault_upstream, tmp_path_factory) -> Iterator[Gateway]:
    deployments = gateway_deployments(mock_upstream_url, fault_upstream)
    config_dir = Path(tmp_path_factory.mktemp("gateway"))
    limit = ("--max-body-bytes", str(MAX_BODY_BYTES))
    with running_gateway(deployments, config_dir, request.param, limit) as url:
        yield Gateway(request.param, url)
