"""The mock upstream with a real gateway in front of it, for tests that go through both."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import openai
import yaml

from tests.support.processes import ferrogate_command, free_port, running

MOCK_KEY = "sk-mock-upstream"  # the mock accepts any key; the gateway must send one


def gateway_client(gateway_url: str) -> openai.OpenAI:
    """The OpenAI SDK pointed at the gateway, failing at once instead of retrying."""
    return openai.OpenAI(base_url=f"{gateway_url}/v1", api_key="sk-client", max_retries=0)


@contextmanager
def running_mock() -> Iterator[str]:
    """The mock upstream on a free port; yields its root URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running(ferrogate_command("mock-upstream", "--port", str(port)), f"{url}/v1/models"):
        yield url


@contextmanager
def running_gateway(
    deployments: dict[str, dict],
    config_dir: Path,
    server: str = "granian",
    extra_args: Sequence[str] = (),
    settings: dict | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """A gateway serving {model name: deployment}, each keyed for the mock; yields its root URL.

    `settings` adds top-level config sections (`keys`, `limits`, `prices`, `cache`).
    """
    # No retries unless a test asks: these gateways check how one upstream answer is passed
    # on, and a retried 429 would wait out the upstream's retry-after first.
    models = [
        {"name": name, "deployments": [{"api_key": MOCK_KEY, "max_retries": 0, **deployment}]}
        for name, deployment in deployments.items()
    ]
    config = config_dir / "config.yaml"
    config.write_text(yaml.safe_dump({"models": models, **(settings or {})}))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = ferrogate_command(
        *("serve", "--server", server, "--port", str(port), "--config", str(config)),
        *("--log-level", "warning"),
        *extra_args,
    )
    with running(serve, f"{url}/health", env):
        yield url


@dataclass(frozen=True)
class Stack:
    gateway_url: str
    mock_url: str  # the mock's root; each provider's routes are under their own prefix

    def client(self) -> openai.OpenAI:
        return gateway_client(self.gateway_url)


@contextmanager
def running_stack(
    deployments_for: Callable[[str], dict[str, dict]], config_dir: Path
) -> Iterator[Stack]:
    """A fresh mock and a Granian gateway; `deployments_for(mock_url)` names what it serves."""
    with (
        running_mock() as mock_url,
        running_gateway(deployments_for(mock_url), config_dir) as gateway_url,
    ):
        yield Stack(gateway_url, mock_url)
