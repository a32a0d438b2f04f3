"""One run: install the peers, start the mock, then measure each server in turn."""

import contextlib
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import contenders
from install_litellm import install_litellm
from install_portkey import install_portkey
from installed import Installed
from measured import Measured
from startup import start_timed

from loadkit.errors import BenchError
from loadkit.measure import bench_scenarios, prepare_target
from loadkit.plan import COMPARED_SCENARIOS, Cores, RunPlan
from loadkit.report import core_note
from loadkit.session import stopped_on_exit
from loadkit.targets import Target, chat_url, mock_headers, start_mock
from loadkit.tools import ensure_taskset, ensure_wrk
from loadkit.tree_memory import tree_memory

INSTALLERS: dict[str, Callable[[], Installed]] = {
    "litellm": install_litellm,
    "portkey": install_portkey,
}
# How each installed peer is set up in front of the mock.
CONTENDERS: dict[str, Callable[[Installed, Path, int], contenders.Contender]] = {
    "litellm": contenders.litellm,
    "portkey": contenders.portkey,
}
PEERS = tuple(INSTALLERS)


def install_peers(names: list[str]) -> dict[str, Installed | Measured]:
    """Each peer installed, or a column that says why not; before any load, so that no
    install competes with a measurement for the cores."""
    installed: dict[str, Installed | Measured] = {}
    for name in names:
        try:
            installed[name] = INSTALLERS[name]()
            print(f"{name} {installed[name].version}: installed", file=sys.stderr)
        except (BenchError, OSError, subprocess.SubprocessError) as error:  # a timeout too
            print(f"error: {name} not installed: {error}", file=sys.stderr)
            installed[name] = Measured(name, "-").fail("install", str(error))
    return installed


def run_peers(
    names: list[str], seconds: int, warmup_seconds: int, columns: list[Measured]
) -> RunPlan:
    """Fill `columns` (mock, ferrogate, then each peer), column by column, so that Ctrl-C
    keeps what was measured."""
    ensure_taskset()
    wrk = ensure_wrk()
    installed = install_peers(names)
    cores = Cores.detect()
    print(core_note(cores), file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="ferrogate-peers-") as tmp, stopped_on_exit() as stack:
        workdir = Path(tmp)
        mock, mock_port = start_mock(workdir, cores.load)
        stack.callback(mock.stop)
        plan = RunPlan(wrk, workdir, cores, seconds, warmup_seconds, mock.pid, mock_port)
        columns.append(measure_mock(plan))
        columns.append(measure_gateway(plan, contenders.ferrogate(workdir, mock_port)))
        for name in names:
            peer = installed[name]
            if isinstance(peer, Measured):
                columns.append(peer)
            else:
                contender = CONTENDERS[name](peer, workdir, mock_port)
                columns.append(measure_gateway(plan, contender))
    return plan


def measure_mock(plan: RunPlan) -> Measured:
    """The ceiling: wrk straight at the mock, on the load core."""
    column = Measured("mock", "-")
    url = chat_url(plan.mock_port)
    target = Target("mock", url, mock_headers(), plan.mock_pid, COMPARED_SCENARIOS)
    try:
        _bench(plan, target, column)
    except BenchError as error:
        column.fail("load", str(error))
    return column


def measure_gateway(plan: RunPlan, contender: contenders.Contender) -> Measured:
    column = Measured(contender.name, contender.version)
    print(f"{contender.name} {contender.version}: starting", file=sys.stderr)
    try:
        server, column.startup_s = start_timed(contender, plan.workdir, plan.cores.server)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return column.fail("start", str(error))
    with contextlib.ExitStack() as stack:
        stack.callback(server.stop)
        target = Target(
            contender.name, contender.url, contender.headers, server.pid, COMPARED_SCENARIOS
        )
        try:
            _bench(plan, target, column)
            memory = tree_memory(server.pid)
            column.rss_mib, column.pss_mib = memory.rss_mib, memory.pss_mib
        except BenchError as error:
            print(f"error: {error}", file=sys.stderr)
            column.fail("load", str(error))
    return column


def _bench(plan: RunPlan, target: Target, column: Measured) -> None:
    prepare_target(plan, target)
    for result in bench_scenarios(plan, target):
        column.results.append(result)
