"""Several mock upstream processes as several deployments, with their faults under control.

Each mock is one worker (its `/_faults` and `/_stats` are then the whole process's) and is
changed at run time, so one set of processes serves a whole test module.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from ferrogate.config import Deployment
from ferrogate.providers import ChatProvider, build_provider
from ferrogate.routing.candidates import Candidate
from tests.support.processes import free_port, running

UPSTREAM_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class Mock:
    url: str

    def faults(self, **changes: object) -> None:
        """Change this mock's faults (the flags' names with underscores, `seed` too)."""
        self._call("POST", "/_faults", changes)

    def stats(self) -> dict:
        return self._call("GET", "/_stats")

    def reset(self) -> None:
        """Start-up faults, counts at zero."""
        self._call("DELETE", "/_faults")
        self._call("DELETE", "/_stats")

    def provider(self) -> ChatProvider:
        deployment = Deployment(
            provider="openai", model=UPSTREAM_MODEL, base_url=f"{self.url}/v1", api_key="sk-test"
        )
        return build_provider(deployment)

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())


@contextmanager
def running_mocks(count: int, *args: str) -> Iterator[list[Mock]]:
    """`count` mock processes started with `args`, each on its own free port."""
    with ExitStack() as stack:
        mocks = []
        for _ in range(count):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            command = [sys.executable, "-m", "ferrogate.mock_upstream", "--port", str(port), *args]
            stack.enter_context(running(command, f"{url}/v1/models"))
            mocks.append(Mock(url))
        yield mocks


def candidate(name: str, mock: Mock, **settings: object) -> Candidate:
    """A deployment named `name` served by `mock` through a real OpenAI provider."""
    return Candidate(deployment_id=name, target=mock.provider(), **settings)


async def close_providers(candidates: list[Candidate]) -> None:
    for each in candidates:
        await each.target.aclose()
