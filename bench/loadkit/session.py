"""One benchmark session: start the mock, bench each target, stop every server whatever happens."""

import contextlib
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from loadkit.errors import BenchError
from loadkit.facts import TargetFacts, facts_after_load
from loadkit.measure import Result, bench_scenarios, prepare_target
from loadkit.plan import Cores, RunPlan
from loadkit.report import core_note
from loadkit.target_setup import target_for
from loadkit.targets import Target
from loadkit.tools import ensure_taskset, ensure_wrk
from loadkit.upstream import start_upstream
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


def bench_target(
    plan: RunPlan, target: Target, results: list[Result], facts: list[TargetFacts]
) -> UsageLogCount | None:
    """Measure every scenario of `target`, then its memory; with a usage log, count its lines
    against the requests wrk counted (warm-up included) before the gateway stops."""
    requests = prepare_target(plan, target)
    for result in bench_scenarios(plan, target):
        results.append(result)  # row by row, so Ctrl-C keeps what was measured
        requests += result.requests
    facts.append(facts_after_load(target))
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
    facts: list[TargetFacts],
    upstream: str = "auto",
) -> RunPlan:
    """Bench each named target in front of the `upstream` mock (loadkit.upstream.CHOICES); a
    target that fails to start or answer, or whose usage log misses lines, lands in
    `failures`."""
    ensure_taskset()
    wrk = ensure_wrk()
    cores = Cores.detect()
    print(core_note(cores), file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="ferrogate-load-") as tmp, stopped_on_exit() as stack:
        workdir = Path(tmp)
        mock = start_upstream(upstream, workdir, cores.load)
        stack.callback(mock.server.stop)
        print(f"upstream: {mock.name} on core {cores.load}", file=sys.stderr)
        plan = RunPlan(
            wrk,
            workdir,
            cores,
            seconds,
            warmup_seconds,
            mock.server.pid,
            mock.port,
            mock.prefixes,
            mock.name,
        )
        for name in names:
            with contextlib.ExitStack() as target_stack:
                try:
                    target = target_for(name, plan, target_stack)
                    if count := bench_target(plan, target, results, facts):
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
