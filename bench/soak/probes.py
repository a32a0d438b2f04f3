"""One reading of what a leak would grow: the gateway tree's memory and descriptors, Redis's
clients, and the gateway's asyncio tasks when it exposes them."""

import os
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import redis

from loadkit.cpu_time import process_tree_cpu_s
from loadkit.tree_memory import tree_memory

# The gauge the gateway would need to export for the task count (see README Benchmarks):
# every worker's live tasks, summed over workers. Absent today, so the count reads n/a.
TASKS_METRIC = "ferrogate_event_loop_tasks"
# Descriptors and Redis clients rise and fall with the requests in flight at the instant of
# reading (measured at a steady 300 req/s: 78-90 of the gateway's sockets are to clients, to
# the upstream or closing, over 25 readings), so each is the least of several readings over
# three seconds: the floor a leak raises, without the in-flight noise on top of it.
FLOOR_READINGS = 15
FLOOR_INTERVAL_S = 0.2


@dataclass(frozen=True)
class Reading:
    rss_mib: float
    pss_mib: float
    fds: int  # open descriptors, summed over the gateway's process tree (floor, see above)
    redis_clients: int  # INFO connected_clients, this probe's connection included (floor)
    tasks: int | None  # None: the gateway does not export TASKS_METRIC
    cpu_s: float  # CPU time the gateway's process tree has used since it started


class Probe:
    """Reads the gateway tree rooted at `gateway_pid`, its /metrics and its Redis."""

    def __init__(self, gateway_pid: int, gateway_url: str, redis_url: str) -> None:
        self._pid = gateway_pid
        self._metrics_url = f"{gateway_url}/metrics"
        # One connection for the whole run, so that it adds a constant 1 to connected_clients.
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=5)

    def read(self) -> Reading:
        memory = tree_memory(self._pid)
        fds, clients = [], []
        for n in range(FLOOR_READINGS):
            if n:
                time.sleep(FLOOR_INTERVAL_S)
            fds.append(sum(_fd_count(pid) for pid in process_tree(self._pid)))
            clients.append(int(self._redis.info("clients")["connected_clients"]))
        return Reading(
            rss_mib=memory.rss_mib,
            pss_mib=memory.pss_mib,
            fds=min(fds),
            redis_clients=min(clients),
            tasks=self._tasks(),
            cpu_s=process_tree_cpu_s(self._pid),
        )

    def close(self) -> None:
        self._redis.close()

    def _tasks(self) -> int | None:
        with urllib.request.urlopen(self._metrics_url, timeout=10) as response:
            text = response.read().decode()
        values = [
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith(TASKS_METRIC) and not line.startswith(f"{TASKS_METRIC}_")
        ]
        return round(sum(values)) if values else None


def process_tree(root: int) -> list[int]:
    """`root` and its live descendants, from each process's parent in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (parent := _parent_of(entry.name)) is not None:
            children.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def _parent_of(pid: str) -> int | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses; the parent pid follows the last ')'.
    return int(text[text.rindex(")") + 2 :].split()[1])


def _fd_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0  # exited between listing the tree and reading it
