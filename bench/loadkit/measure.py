"""Warm a target up, then one wrk run per scenario, each turned into a result row."""

import sys
from collections.abc import Iterator
from dataclasses import dataclass

from loadkit.chat import CHECK_REQUESTS, check_answers, prime_cache
from loadkit.cpu_time import process_tree_cpu_s
from loadkit.plan import SLOW_MIN_SECONDS, RunPlan, Scenario
from loadkit.targets import Target
from loadkit.wrk import run_wrk, write_lua


@dataclass
class Result:
    target: str
    scenario: str
    concurrency: int
    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_request: float
    mock_cpu_us_per_request: float
    errors: int
    redis_cpu_us_per_request: float = 0.0  # the target's Redis server, when it has one


# The 50 ms answer is warmed up at its own concurrency, so that the gateway's pool has opened
# its 256 upstream connections before the measured run; the others at 16.
WARMUP_CONCURRENCY = {"slow": 256}


def runnable(plan: RunPlan, target: Target) -> list[Scenario]:
    """The target's scenarios this run's upstream can answer."""
    return [scenario for scenario in target.scenarios if scenario.kind in plan.prefixes]


def warm_up(plan: RunPlan, target: Target) -> int:
    """One short run per kind of request; the requests wrk counted as done."""
    done = 0
    scenarios = {(s.kind, s.request): s for s in runnable(plan, target)}
    for scenario in scenarios.values():
        lua = write_lua(plan.workdir, target, scenario)
        concurrency = WARMUP_CONCURRENCY.get(scenario.kind, 16)
        url = target.route(scenario.kind).url
        stats = run_wrk(plan.wrk, url, lua, concurrency, plan.warmup_seconds, plan.cores.load)
        done += stats["requests"]
    return done


def measure(plan: RunPlan, target: Target, scenario: Scenario) -> Result:
    lua = write_lua(plan.workdir, target, scenario)
    seconds = max(plan.seconds, SLOW_MIN_SECONDS) if scenario.slow else plan.seconds
    url = target.route(scenario.kind).url
    cpu_before = process_tree_cpu_s(target.pid)
    mock_before = process_tree_cpu_s(plan.mock_pid)
    redis_before = _redis_cpu_s(target)
    stats = run_wrk(plan.wrk, url, lua, scenario.concurrency, seconds, plan.cores.load)
    cpu = process_tree_cpu_s(target.pid) - cpu_before
    mock_cpu = process_tree_cpu_s(plan.mock_pid) - mock_before
    redis_cpu = _redis_cpu_s(target) - redis_before
    requests = max(stats["requests"], 1)
    duration_s = stats["duration_us"] / 1e6
    errors = sum(stats[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    return Result(
        target=target.name,
        scenario=scenario.name,
        concurrency=scenario.concurrency,
        requests=stats["requests"],
        duration_s=round(duration_s, 3),
        rps=round(stats["requests"] / duration_s, 1),
        p50_ms=stats["p50_us"] / 1000,
        p99_ms=stats["p99_us"] / 1000,
        cpu_us_per_request=round(cpu / requests * 1e6, 1),
        mock_cpu_us_per_request=round(mock_cpu / requests * 1e6, 1),
        errors=errors,
        redis_cpu_us_per_request=round(redis_cpu / requests * 1e6, 1),
    )


def _redis_cpu_s(target: Target) -> float:
    return process_tree_cpu_s(target.redis_pid) if target.redis_pid else 0.0


def prepare_target(plan: RunPlan, target: Target) -> int:
    """Check the answers, prime the cache, warm up; the requests known done on the way (the
    cache's priming requests left out)."""
    check_answers(target)
    if target.cached:
        prime_cache(target)
    print(f"{target.name}: warming up", file=sys.stderr)
    return CHECK_REQUESTS + warm_up(plan, target)


def bench_scenarios(plan: RunPlan, target: Target) -> Iterator[Result]:
    for scenario in target.scenarios:
        if scenario not in runnable(plan, target):
            print(
                f"{target.name}: {scenario.name} c={scenario.concurrency} skipped: the "
                f"{plan.upstream} upstream has no {scenario.kind} answer",
                file=sys.stderr,
            )
            continue
        print(f"{target.name}: {scenario.name} c={scenario.concurrency}", file=sys.stderr)
        yield measure(plan, target, scenario)
