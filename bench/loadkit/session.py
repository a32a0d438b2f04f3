"""One benchmark session: start the mock, bench each target, stop every server whatever happens."""

import contextlib
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from loadkit.errors import BenchError
from loadkit.keys import create_virtual_key, new_master_key
from loadkit.measure import Result, bench_scenarios, prepare_target
from loadkit.plan import CACHE_SCENARIOS, COMPARED_SCENARIOS, Cores, RunPlan
from loadkit.report import core_note
from loadkit.targets import (
    BARE_TARGET,
    CACHED_TARGET,
    KEYS_REDIS_TARGET,
    KEYS_TARGET,
    OBSERVED_TARGET,
    Target,
    bare_telemetry,
    base_url,
    chat_url,
    mock_headers,
    observed_telemetry,
    start_gateway,
    start_mock,
    write_gateway_config,
)
from loadkit.tools import ensure_taskset, ensure_wrk
from loadkit.usage_count import UsageLogCount, count_usage_log


@contextlib.contextmanager
def stopped_on_exit() -> Iterator[contextlib.ExitStack]:
    """Stop every spawned server on return, error, Ctrl-C or SIGTERM."""
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        with contextlib.ExitStack() as stack:
            yield stack
    finally:
        signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def target_for(name: str, plan: RunPlan, stack: contextlib.ExitStack, config: Path) -> Target:
    if name == "mock":
        return Target("mock", chat_url(plan.mock_port), mock_headers(), plan.mock_pid)
    if name == CACHED_TARGET:
        config = write_gateway_config(plan.workdir, plan.mock_port, cache=True, label=name)
        gateway, port = start_gateway("granian", config, plan.workdir, plan.cores.server, name)
        stack.callback(gateway.stop)
        return Target(name, chat_url(port), {}, gateway.pid, CACHE_SCENARIOS)
    if name in (KEYS_TARGET, KEYS_REDIS_TARGET):
        return keyed_target(name, plan, stack)
    if name in (BARE_TARGET, OBSERVED_TARGET):
        return telemetry_target(name, plan, stack)
    gateway, port = start_gateway(name, config, plan.workdir, plan.cores.server)
    stack.callback(gateway.stop)
    return Target(name, chat_url(port), {}, gateway.pid)


def keyed_target(name: str, plan: RunPlan, stack: contextlib.ExitStack) -> Target:
    """Granian with a master key; every request sends one virtual key with room to spare.

    With Redis, the server shares the gateway's core: its work is part of what keys and
    limits cost, and the load core stays the ceiling it is for every other row.
    """
    redis_url, redis_pid = None, None
    if name == KEYS_REDIS_TARGET:
        from loadkit.redis_server import start_redis  # imports redis only when needed

        redis = start_redis(plan.cores.server)
        stack.callback(redis.stop)
        redis_url, redis_pid = redis.url, redis.process.pid
    master_key = new_master_key()
    config = write_gateway_config(plan.workdir, plan.mock_port, master_key=master_key, label=name)
    gateway, port = start_gateway(
        "granian", config, plan.workdir, plan.cores.server, name, redis_url
    )
    stack.callback(gateway.stop)
    key = create_virtual_key(base_url(port), master_key)
    headers = {"Authorization": f"Bearer {key}"}
    return Target(name, chat_url(port), headers, gateway.pid, COMPARED_SCENARIOS, redis_pid)


def telemetry_target(name: str, plan: RunPlan, stack: contextlib.ExitStack) -> Target:
    """Granian with metrics and usage log both off (bare), or both on, the log to a file in
    the run's folder (observed)."""
    usage_log = plan.workdir / f"{name}-usage.jsonl" if name == OBSERVED_TARGET else None
    telemetry = observed_telemetry(usage_log) if usage_log else bare_telemetry()
    config = write_gateway_config(plan.workdir, plan.mock_port, telemetry=telemetry, label=name)
    gateway, port = start_gateway("granian", config, plan.workdir, plan.cores.server, name)
    stack.callback(gateway.stop)
    return Target(name, chat_url(port), {}, gateway.pid, COMPARED_SCENARIOS, usage_log=usage_log)


def bench_target(plan: RunPlan, target: Target, results: list[Result]) -> UsageLogCount | None:
    """Measure every scenario of `target`; with a usage log, count its lines against the
    requests wrk counted (warm-up included) before the gateway stops."""
    requests = prepare_target(plan, target)
    for result in bench_scenarios(plan, target):
        results.append(result)  # row by row, so Ctrl-C keeps what was measured
        requests += result.requests
    if target.usage_log is None:
        return None
    return count_usage_log(target.name, target.usage_log, requests)


def run_benchmark(
    names: list[str],
    seconds: int,
    warmup_seconds: int,
    *,
    results: list[Result],
    failures: dict[str, str],
    usage_counts: list[UsageLogCount],
) -> RunPlan:
    """Bench each named target; a target that fails to start or answer, or whose usage log
    misses lines, lands in `failures`."""
    ensure_taskset()
    wrk = ensure_wrk()
    cores = Cores.detect()
    print(core_note(cores), file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="ferrogate-load-") as tmp, stopped_on_exit() as stack:
        workdir = Path(tmp)
        mock, mock_port = start_mock(workdir, cores.load)
        stack.callback(mock.stop)
        plan = RunPlan(wrk, workdir, cores, seconds, warmup_seconds, mock.pid, mock_port)
        config = write_gateway_config(workdir, mock_port)
        for name in names:
            with contextlib.ExitStack() as target_stack:
                try:
                    target = target_for(name, plan, target_stack, config)
                    if count := bench_target(plan, target, results):
                        usage_counts.append(count)
                        if not count.complete:
                            raise BenchError(
                                f"{name}: usage log has {count.lines} lines "
                                f"for {count.requests} requests"
                            )
                except BenchError as error:
                    failures[name] = str(error)
                    print(f"error: {error}", file=sys.stderr)
    return plan
