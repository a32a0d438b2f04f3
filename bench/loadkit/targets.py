"""The servers under test: the mock upstream alone, and the gateway in front of it."""

import json
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from loadkit.errors import BenchError
from loadkit.plan import CACHE_SCENARIOS, SCENARIOS, Scenario
from loadkit.processes import Spawned, wait_until_up

# "mock", then the gateway on each of its servers (telemetry as configured by default:
# metrics on, usage log off), then on Granian with the cache on, with virtual keys, limits and
# spend (in process, then in Redis), and with metrics and usage log both off, then both on.
TARGETS = (
    "mock",
    "granian",
    "robyn",
    "granian-cache",
    "granian-keys",
    "granian-keys-redis",
    "granian-bare",
    "granian-observed",
)
CACHED_TARGET = "granian-cache"
KEYS_TARGET = "granian-keys"
KEYS_REDIS_TARGET = "granian-keys-redis"
BARE_TARGET = "granian-bare"
OBSERVED_TARGET = "granian-observed"
MOCK_API_KEY = "sk-bench"
# So that spend is priced and booked, not skipped as the cost of an unknown model.
BENCH_PRICE = "{input_per_mtok: 1.0, output_per_mtok: 2.0}"


@dataclass(frozen=True)
class Target:
    name: str
    url: str  # the chat completions endpoint
    headers: dict[str, str]
    pid: int  # root of the process tree whose CPU time is charged to this target
    scenarios: tuple[Scenario, ...] = SCENARIOS
    redis_pid: int | None = None  # the Redis this target uses; its CPU is reported apart
    usage_log: Path | None = None  # the file the gateway writes a line per request to

    @property
    def cached(self) -> bool:
        return self.scenarios is CACHE_SCENARIOS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def chat_url(port: int) -> str:
    return f"{base_url(port)}/v1/chat/completions"


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


def write_gateway_config(
    workdir: Path,
    mock_port: int,
    *,
    cache: bool = False,
    master_key: str = "",
    telemetry: str = "",
    label: str = "",
) -> Path:
    """The bench model on the mock; with `cache`, the response cache on (no Redis: the exact
    and L1 tiers in process); with `master_key`, keys required, their SQLite files in
    `workdir` named after `label`; with `telemetry`, that YAML mapping as the section."""
    path = workdir / f"gateway-{label}.yaml" if label else workdir / "gateway.yaml"
    path.write_text(
        ("cache:\n  enabled: true\n" if cache else "")
        + (_keys_section(workdir / f"{label}-keys.sqlite3", master_key) if master_key else "")
        + (f"telemetry: {telemetry}\n" if telemetry else "")
        + "models:\n"
        "  - name: bench-model\n"
        "    deployments:\n"
        "      - provider: openai\n"
        "        model: bench-model\n"
        f"        base_url: http://127.0.0.1:{mock_port}/v1\n"
        f"        api_key: {MOCK_API_KEY}\n"
    )
    return path


def _keys_section(store: Path, master_key: str) -> str:
    # A fresh store per target and run: no keys or spend left over from another.
    return (
        f"keys:\n  master_key: {master_key}\n"
        f"  sqlite_path: {store}\n"
        f"prices:\n  bench-model: {BENCH_PRICE}\n"
    )


def bare_telemetry() -> str:
    # Quoted: YAML 1.1 reads a bare `off` as the boolean false, which the schema refuses.
    return '{metrics: false, usage_log: "off"}'


def observed_telemetry(usage_log: Path) -> str:
    # A JSON string is a YAML string too: the path needs no escaping rules of its own.
    return f"{{metrics: true, usage_log: file, usage_log_path: {json.dumps(str(usage_log))}}}"


def gateway_executable() -> Path:
    path = Path(sys.executable).parent / "ferrogate"
    if not path.exists():
        raise BenchError(f"gateway command not found: {path} (install the project first)")
    return path


def start_gateway(
    server: str,
    config: Path,
    workdir: Path,
    core: int,
    label: str = "",
    redis_url: str | None = None,
) -> tuple[Spawned, int]:
    label = label or server
    port = free_port()
    command = [str(gateway_executable()), "serve", "--server", server]
    command += ["--host", "127.0.0.1", "--port", str(port), "--config", str(config)]
    if redis_url:
        command += ["--redis-url", redis_url]
    gateway = Spawned(f"gateway ({label})", command, workdir / f"gateway-{label}.log", core)
    wait_until_up(gateway, f"http://127.0.0.1:{port}/health", {})
    return gateway, port
