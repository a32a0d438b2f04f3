"""The servers of a soak: Redis Stack, the mock upstream with faults on, and the gateway."""

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path

from gateway_config import MOCK_API_KEY, write_config
from soak_keys import SoakKeys, create_keys

from loadkit.keys import new_master_key
from loadkit.processes import Spawned, wait_until_up
from loadkit.redis_server import start_redis
from loadkit.targets import base_url, free_port, start_gateway

# Not pinned: the machine has two cores, and a soak is about what grows, not about speed.
ALL_CORES = "0,1"
REDIS_CORE = 0  # start_redis pins to one core
# A latency that keeps a dozen requests in flight at a few hundred a second, streams that
# last ~50 ms so clients can leave them midway, and the faults of issue 9: 5% 500s, 1% of
# connections reset unanswered, 2% of streams cut after three events. Seeded: repeatable.
MOCK_FLAGS = (
    *("--latency-ms", "15", "--jitter-ms", "20", "--chunk-delay-ms", "5"),
    *("--stream-chunks", "8", "--fault-rate", "0.05", "--fault-status", "500"),
    *("--reset-rate", "0.01", "--cut-after", "3", "--cut-rate", "0.02", "--seed", "9"),
)


@dataclass(frozen=True)
class SoakStack:
    gateway_url: str
    gateway_pid: int  # root of the gateway's process tree
    mock_url: str
    redis_url: str
    keys: SoakKeys
    gateway: Spawned


def start_stack(workdir: Path, workers: int, stack: contextlib.ExitStack) -> SoakStack:
    """Everything started and registered on `stack` to be stopped, gateway first."""
    redis = start_redis(REDIS_CORE)
    stack.callback(redis.stop)
    mock_port = free_port()
    mock_url = base_url(mock_port)
    mock = Spawned("mock upstream", _mock_command(mock_port), workdir / "mock.log", ALL_CORES)
    stack.callback(mock.stop)
    wait_until_up(mock, f"{mock_url}/v1/models", {"Authorization": f"Bearer {MOCK_API_KEY}"})
    master_key = new_master_key()
    config = write_config(workdir, mock_port, master_key)
    started = start_gateway(
        "granian", config, workdir, ALL_CORES, "soak", redis.url, keyed=True, workers=workers
    )
    stack.callback(started.server.stop)
    gateway_url = base_url(started.port)
    return SoakStack(
        gateway_url=gateway_url,
        gateway_pid=started.server.pid,
        mock_url=mock_url,
        redis_url=redis.url,
        keys=create_keys(gateway_url, master_key),
        gateway=started.server,
    )


def _mock_command(port: int) -> list[str]:
    command = [sys.executable, "-m", "ferrogate.mock_upstream", "--host", "127.0.0.1"]
    return [*command, "--port", str(port), "--workers", "1", *MOCK_FLAGS]
