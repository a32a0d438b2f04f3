"""The servers under test: the mock upstream alone, and the gateway in front of it."""

import json
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from loadkit.errors import BenchError
from loadkit.plan import SCENARIOS, Scenario
from loadkit.processes import STARTUP_LIMIT_S, Spawned, wait_until_up
from loadkit.routes import MODEL, Route, gateway_model
from loadkit.startup import wait_for_answer

# "mock", then the gateway on each of its servers (telemetry as configured by default:
# metrics on, usage log off), then on Granian with the cache on, with virtual keys, limits and
# spend (in process, then in Redis), with metrics and usage log both off, then both on, with
# all of it on at once (full), and with two workers on both cores (2w).
TARGETS = (
    "mock",
    "granian",
    "robyn",
    "granian-cache",
    "granian-keys",
    "granian-keys-redis",
    "granian-bare",
    "granian-observed",
    "granian-full",
    "granian-2w",
)
CACHED_TARGET = "granian-cache"
KEYS_TARGET = "granian-keys"
KEYS_REDIS_TARGET = "granian-keys-redis"
BARE_TARGET = "granian-bare"
OBSERVED_TARGET = "granian-observed"
FULL_TARGET = "granian-full"
TWO_CORE_TARGET = "granian-2w"
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
    # Kind of answer (loadkit.routes) -> where its requests go, when not (url, bench-model).
    routes: Mapping[str, Route] = field(default_factory=dict)
    startup_s: float | None = None  # spawn to first chat answer, when it was timed

    def route(self, kind: str) -> Route:
        return self.routes.get(kind, Route(self.url))

    @property
    def cached(self) -> bool:
        """Some scenario measures cache hits: the cache is primed before the load."""
        return any(scenario.name.startswith("hit-") for scenario in self.scenarios)


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


def mock_routes(port: int, prefixes: Mapping[str, str]) -> dict[str, Route]:
    """wrk straight at the upstream: each kind at its own path, the body's model as is."""
    return {
        kind: Route(f"{base_url(port)}{prefix}/chat/completions")
        for kind, prefix in prefixes.items()
    }


def gateway_routes(port: int, prefixes: Mapping[str, str]) -> dict[str, Route]:
    """Through the gateway: one endpoint, each kind of answer named by its model."""
    return {kind: Route(chat_url(port), gateway_model(kind)) for kind in prefixes}


def write_gateway_config(
    workdir: Path,
    mock_port: int,
    *,
    prefixes: Mapping[str, str] | None = None,
    cache: bool = False,
    master_key: str = "",
    telemetry: str = "",
    label: str = "",
) -> Path:
    """The bench model on the mock, and with `prefixes` one model per kind of answer
    (loadkit.routes); with `cache`, the response cache on (no Redis: the exact and L1 tiers
    in process); with `master_key`, keys required, their SQLite files in `workdir` named after
    `label`; with `telemetry`, that YAML mapping as the section."""
    path = workdir / f"gateway-{label}.yaml" if label else workdir / "gateway.yaml"
    models = {gateway_model(kind): prefix for kind, prefix in (prefixes or {"chat": "/v1"}).items()}
    path.write_text(
        ("cache:\n  enabled: true\n" if cache else "")
        + (
            _keys_section(workdir / f"{label}-keys.sqlite3", master_key, models)
            if master_key
            else ""
        )
        + (f"telemetry: {telemetry}\n" if telemetry else "")
        + "models:\n"
        + "".join(_model(name, mock_port, prefix) for name, prefix in models.items())
    )
    return path


def _model(name: str, mock_port: int, prefix: str) -> str:
    return (
        f"  - name: {name}\n"
        "    deployments:\n"
        "      - provider: openai\n"
        f"        model: {MODEL}\n"
        f"        base_url: {base_url(mock_port)}{prefix}\n"
        f"        api_key: {MOCK_API_KEY}\n"
    )


def _keys_section(store: Path, master_key: str, models: Mapping[str, str]) -> str:
    # A fresh store per target and run: no keys or spend left over from another.
    prices = "".join(f"  {name}: {BENCH_PRICE}\n" for name in {MODEL, *models})
    return f"keys:\n  master_key: {master_key}\n  sqlite_path: {store}\nprices:\n{prices}"


def bare_telemetry() -> str:
    # Quoted: YAML 1.1 reads a bare `off` as the boolean false, which the schema refuses.
    return '{metrics: false, usage_log: "off", dashboard: false}'


def observed_telemetry(usage_log: Path) -> str:
    # A JSON string is a YAML string too: the path needs no escaping rules of its own.
    path = json.dumps(str(usage_log))
    return f"{{metrics: true, dashboard: true, usage_log: file, usage_log_path: {path}}}"


def gateway_executable() -> Path:
    path = Path(sys.executable).parent / "ferrogate"
    if not path.exists():
        raise BenchError(f"gateway command not found: {path} (install the project first)")
    return path


@dataclass(frozen=True)
class Started:
    server: Spawned
    port: int
    startup_s: float | None  # spawn to first chat answer; None for a keyed gateway


def start_gateway(
    server: str,
    config: Path,
    workdir: Path,
    core: int | str,
    label: str = "",
    redis_url: str | None = None,
    *,
    keyed: bool = False,
    workers: int = 1,
) -> Started:
    """An open gateway is timed to its first chat answer (issue 8's start-up figure); a keyed
    one, which has no key to ask with yet, is waited for on /health."""
    label = label or server
    port = free_port()
    command = [str(gateway_executable()), "serve", "--server", server, "--workers", str(workers)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--config", str(config)]
    if redis_url:
        command += ["--redis-url", redis_url]
    gateway = Spawned(f"gateway ({label})", command, workdir / f"gateway-{label}.log", core)
    try:
        if keyed:
            wait_until_up(gateway, f"{base_url(port)}/health", {})
            return Started(gateway, port, None)
        startup_s = wait_for_answer(gateway, Route(chat_url(port)), {}, STARTUP_LIMIT_S)
    except BaseException:
        gateway.stop()
        raise
    return Started(gateway, port, startup_s)
