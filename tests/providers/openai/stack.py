"""A real mock upstream with a real gateway in front of it, for end-to-end provider tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import openai
import yaml

from tests.support.processes import ferrogate_command, free_port, running

MOCK_KEY = "sk-mock-upstream"


@dataclass(frozen=True)
class Stack:
    gateway_url: str
    mock_url: str  # the mock's root; OpenAI's routes are under /v1

    def client(self) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.gateway_url}/v1", api_key="sk-client", max_retries=0)


@contextmanager
def running_mock() -> Iterator[str]:
    """The mock upstream on a free port; yields its root URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running(ferrogate_command("mock-upstream", "--port", str(port)), f"{url}/v1/models"):
        yield url


@contextmanager
def running_stack(deployments_for, config_dir: Path) -> Iterator[Stack]:
    """`deployments_for(mock_url)` gives {model name: deployment} for the gateway's config."""
    with running_mock() as mock_url:
        models = [
            {"name": name, "deployments": [{"api_key": MOCK_KEY, **deployment}]}
            for name, deployment in deployments_for(mock_url).items()
        ]
        config = config_dir / "config.yaml"
        config.write_text(yaml.safe_dump({"models": models}))
        port = free_port()
        gateway_url = f"http://127.0.0.1:{port}"
        serve = ferrogate_command(
            *("serve", "--port", str(port), "--config", str(config)),
            *("--log-level", "warning"),
        )
        with running(serve, f"{gateway_url}/health"):
            yield Stack(gateway_url, mock_url)
