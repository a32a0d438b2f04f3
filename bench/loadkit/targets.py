"""The servers under test: the mock upstream alone, and the gateway in front of it."""

import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from loadkit.errors import BenchError
from loadkit.processes import Spawned, wait_until_up

TARGETS = ("mock", "granian", "robyn")  # "mock", then the gateway on each of its servers
MOCK_API_KEY = "sk-bench"


@dataclass(frozen=True)
class Target:
    name: str
    url: str  # the chat completions endpoint
    headers: dict[str, str]
    pid: int  # root of the process tree whose CPU time is charged to this target


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


def write_gateway_config(workdir: Path, mock_port: int) -> Path:
    path = workdir / "gateway.yaml"
    path.write_text(
        "models:\n"
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


def start_gateway(server: str, config: Path, workdir: Path, core: int) -> tuple[Spawned, int]:
    port = free_port()
    command = [str(gateway_executable()), "serve", "--server", server]
    command += ["--host", "127.0.0.1", "--port", str(port), "--config", str(config)]
    gateway = Spawned(f"gateway ({server})", command, workdir / f"gateway-{server}.log", core)
    wait_until_up(gateway, f"http://127.0.0.1:{port}/health", {})
    return gateway, port
