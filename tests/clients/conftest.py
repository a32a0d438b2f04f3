"""A real Ferrogate per front end for unmodified client libraries to talk to by base URL.

`demo` answers plain chat and streams with no network; `mock-gpt` goes through the
OpenAI adapter to the mock upstream, which answers a request declaring tools with a
call of the first tool (see ferrogate/mock_upstream/scenario.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.support.processes import ferrogate_command, free_port, running


@pytest.fixture(scope="session")
def mock_upstream_v1() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running(ferrogate_command("mock-upstream", "--port", str(port)), f"{url}/v1/models"):
        yield f"{url}/v1"


def gateway_config(mock_upstream_v1: str) -> dict:
    demo = {"provider": "demo", "model": "demo", "chunk_delay_ms": 0}
    mock = {
        "provider": "openai",
        "model": "mock-gpt",
        "base_url": mock_upstream_v1,
        "api_key": "sk-test",
    }
    return {
        "models": [
            {"name": "demo", "deployments": [demo]},
            {"name": "mock-gpt", "deployments": [mock]},
        ]
    }


@pytest.fixture(scope="session", params=["granian", "robyn"])
def gateway_v1(request, mock_upstream_v1, tmp_path_factory) -> Iterator[str]:
    """The `/v1` base URL of a running gateway, as a client's `base_url` setting takes it."""
    config = Path(tmp_path_factory.mktemp("clients")) / "config.yaml"
    config.write_text(yaml.safe_dump(gateway_config(mock_upstream_v1)))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = ferrogate_command(
        "serve",
        *("--server", request.param, "--port", str(port), "--config", str(config)),
        *("--log-level", "warning"),
    )
    with running(command, f"{url}/health"):
        yield f"{url}/v1"
