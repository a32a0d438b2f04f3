"""The servers under test: the mock upstream alone, and the gateway in front of it."""

import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from loadkit.errors import BenchError
from loadkit.plan import CACHE_SCENARIOS, SCENARIOS, Scenario
from loadkit.processes import Spawned, wait_until_up

# "mock", then the gateway on each of its servers, then on Granian with the cache on
TARGETS = ("mock", "granian", "robyn", "granian-cache")
CACHED_TARGET = "granian-cache"
MOCK_API_KEY = "sk-bench"


@dataclass(frozen=True)
class Target:
    name: str
    url: str  # the chat completions endpoint
    headers: dict[str, str]
    pid: int  # root of the process tree whose CPU time is charged to this target
    scenarios: tuple[Scenario, ...] = SCENARIOS

    @property
    def cached(self) -> bool:
        return self.scenarios is CACHE_SCENARIOS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chat_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/v1/chat/completions"


def mock_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {MOCK_API_KEY}"}


def start_mock(workdir: Path, core: int) -> tuple[Spawned, int]:
    """The mock on a free port with every setting given, so FERROGATE_MOCK_* cannot skew it."""
    port = free_port()
    command = [sys.executable, "-m", "ferrogate.mock_upstream", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1", "--latency-ms", "0"]
    command += ["--chunk-delay-ms", "0", "--stream-chunks", "8"]
    mock = Spawned("mock upstream", command, workdir / "mock.log", core)
    wait_until_up(mock, f"http://127.0.0.1:{port}/v1/models", mock_headers())
    return mock, port


def write_gateway_config(workdir: Path, mock_port: int, *, cache: bool = False) -> Path:
    """The bench model on the mock; with `cache`, the response cache on (no Redis: the exact
    and L1 tiers in process)."""
    path = workdir / ("gateway-cache.yaml" if cache else "gateway.yaml")
    path.write_text(
        ("cache:\n  enabled: true\n" if cache else "") + "models:\n"
        "  - name: bench-model\n"
        "    deployments:\n"
        "      - provider: openai\n"
        "        model: bench-model\n"
        f"        base_url: http://127.0.0.1:{mock_port}/v1\n"
        f"        api_key: {MOCK_API_KEY}\n"
    )
    return path


def gateway_executable() -> Path:
    path = Path(sys.executable).parent / "ferrogate"
    if not path.exists():
        raise BenchError(f"gateway command not found: {path} (install the project first)")
    return path


def start_gateway(
    server: str, config: Path, workdir: Path, core: int, label: str = ""
) -> tuple[Spawned, int]:
    label = label or server
    port = free_port()
    command = [str(gateway_executable()), "serve", "--server", server]
    command += ["--host", "127.0.0.1", "--port", str(port), "--config", str(config)]
    gateway = Spawned(f"gateway ({label})", command, workdir / f"gateway-{label}.log", core)
    wait_until_up(gateway, f"http://127.0.0.1:{port}/health", {})
    return gateway, port
