"""Real mock-upstream servers, started as subprocesses, and raw HTTP helpers."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import openai
import pytest

from tests.support.processes import free_port, running

from .wire import call

PYTHON_SOURCE = Path(__file__).resolve().parents[2] / "python"
API_KEY = "sk-test"


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


def request_raw(
    url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> RawResponse:
    """One HTTP request with urllib; error statuses are returned, not raised."""
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return RawResponse(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return RawResponse(error.code, dict(error.headers), error.read())


def _mock_command(*args: str) -> list[str]:
    # Not ferrogate_command ("-m ferrogate mock-upstream"): that path imports the gateway and
    # its Rust extension, which the mock itself does not need.
    return [sys.executable, "-m", "ferrogate.mock_upstream", *args]


def _env_with_source(extra: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PYTHON_SOURCE), env.get("PYTHONPATH")]))
    return env


@contextmanager
def running_mock(args: Sequence[str] = (), env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `python -m ferrogate.mock_upstream` on a free port; yield its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = _mock_command("--port", str(port), *args)
    with running(command, f"{base_url}/v1/models", env=_env_with_source(env or {})):
        yield base_url


@pytest.fixture(scope="session")
def mock_url() -> Iterator[str]:
    with running_mock() as base_url:
        yield base_url


@pytest.fixture(scope="session")
def three_chunk_mock_url() -> Iterator[str]:
    """Chunk count from the environment; delays so events go out one by one after a pause."""
    env = {"FERROGATE_MOCK_STREAM_CHUNKS": "3"}
    with running_mock(["--chunk-delay-ms", "1", "--latency-ms", "1"], env=env) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def fault_mock_process() -> Iterator[str]:
    """Seeded, with a small chunk delay so streamed events go out one write each."""
    with running_mock(["--chunk-delay-ms", "2", "--seed", "11"]) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def run_cut_mock() -> Iterator[str]:
    """Streams cut after 2 events, set from the command line and the environment."""
    env = {"FERROGATE_MOCK_CUT_AFTER": "2"}
    with running_mock(["--seed", "5"], env=env) as base_url:
        yield base_url


@pytest.fixture
def fault_mock(fault_mock_process: str) -> Iterator[str]:
    """The fault tests' mock, with no faults and zeroed counts, and reset again afterwards."""
    call(fault_mock_process, "DELETE", "/_faults")
    call(fault_mock_process, "DELETE", "/_stats")
    yield fault_mock_process
    call(fault_mock_process, "DELETE", "/_faults")


def _sdk_client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key=API_KEY, max_retries=0)


def _run_mock_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        _mock_command(*args),
        env=_env_with_source(env or {}),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def client(mock_url: str) -> openai.OpenAI:
    return _sdk_client(mock_url)


@pytest.fixture
def make_client() -> Callable[[str], openai.OpenAI]:
    return _sdk_client


@pytest.fixture
def raw_http() -> Callable[..., RawResponse]:
    return request_raw


@pytest.fixture
def auth_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}


@pytest.fixture
def run_mock_cli() -> Callable[..., subprocess.CompletedProcess]:
    """Run the mock's command line to completion (for --help and bad settings)."""
    return _run_mock_cli
