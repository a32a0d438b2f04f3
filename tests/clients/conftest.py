"""A real Ferrogate per front end for unmodified client libraries to talk to by base URL.

`demo` answers plain chat and streams with no network; `mock-gpt` goes through the
OpenAI adapter to the mock upstream, which answers a request declaring tools with a
call of the first tool (see ferrogate/mock_upstream/scenario.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.gateway_stack import running_gateway, running_mock


@pytest.fixture(scope="session")
def mock_upstream_v1() -> Iterator[str]:
    with running_mock() as url:
        yield f"{url}/v1"


def gateway_deployments(mock_upstream_v1: str) -> dict[str, dict]:
    return {
        "demo": {"provider": "demo", "model": "demo", "chunk_delay_ms": 0},
        "mock-gpt": {"provider": "openai", "model": "mock-gpt", "base_url": mock_upstream_v1},
    }


@pytest.fixture(scope="session", params=["granian", "robyn"])
def gateway_v1(request, mock_upstream_v1, tmp_path_factory) -> Iterator[str]:
    """The `/v1` base URL of a running gateway, as a client's `base_url` setting takes it."""
    config_dir = Path(tmp_path_factory.mktemp("clients"))
    deployments = gateway_deployments(mock_upstream_v1)
    with running_gateway(deployments, config_dir, request.param) as url:
        yield f"{url}/v1"
