"""One gateway per front end, in front of a real mock upstream and a faulty one.

Every test that takes `gateway` runs against both Granian and Robyn over real sockets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openai
import pytest
import yaml

from tests.support.fault_upstream import FaultUpstream
from tests.support.processes import ferrogate_command, free_port, running

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
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running(ferrogate_command("mock-upstream", "--port", str(port)), f"{url}/v1/models"):
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


def gateway_config(mock_url: str, faults: FaultUpstream) -> dict:
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
    return {"models": [{"name": name, "deployments": [d]} for name, d in models.items()]}


@pytest.fixture(scope="session", params=["granian", "robyn"])
def gateway(request, mock_upstream_url, fault_upstream, tmp_path_factory) -> Iterator[Gateway]:
    config = Path(tmp_path_factory.mktemp("gateway")) / "config.yaml"
    config.write_text(yaml.safe_dump(gateway_config(mock_upstream_url, fault_upstream)))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = ferrogate_command(
        "serve",
        "--server",
        request.param,
        "--port",
        str(port),
        "--config",
        str(config),
        "--max-body-bytes",
        str(MAX_BODY_BYTES),
        "--log-level",
        "warning",
    )
    with running(command, f"{url}/health"):
        yield Gateway(request.param, url)
