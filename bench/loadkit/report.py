"""The results as a table on stdout and, on request, as a JSON file."""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from loadkit.facts import TargetFacts
from loadkit.measure import Result
from loadkit.plan import Cores, RunPlan
from loadkit.targets import (
    BARE_TARGET,
    FULL_TARGET,
    KEYS_REDIS_TARGET,
    KEYS_TARGET,
    OBSERVED_TARGET,
    TWO_CORE_TARGET,
)
from loadkit.usage_count import UsageLogCount


@dataclass(frozen=True)
class Comparison:
    """Rows of `targets` set against the same scenario of `base` in the same run."""

    added_by: str
    base: str
    targets: tuple[str, ...]
    goal: str = ""


COMPARISONS = (
    Comparison("keys+limits", "granian", (KEYS_TARGET, KEYS_REDIS_TARGET)),
    # Issue 7's budget for the observability a deployment keeps on.
    Comparison(
        "metrics + usage log + dashboard",
        BARE_TARGET,
        (OBSERVED_TARGET,),
        goal="req/s ratio >= 0.90",
    ),
    # Issue 8: auth, limits, exact cache, metrics and usage log all on.
    Comparison("everything on", BARE_TARGET, (FULL_TARGET,), goal="chat req/s ratio >= 0.70"),
    # Issue 8: a second worker on the second core. The load generator and the upstream then
    # share the cores with the gateway, which the ratio pays for.
    Comparison(
        "a second worker on the second core (load shares the cores)",
        "granian",
        (TWO_CORE_TARGET,),
        goal="req/s ratio >= 1.70",
    ),
)

COLUMNS = (
    ("target", "{:<19}"),
    ("scenario", "{:<16}"),
    ("conc", "{:>5}"),
    ("req/s", "{:>9}"),
    ("p50 ms", "{:>8}"),
    ("p99 ms", "{:>8}"),
    ("CPU µs/req", "{:>11}"),
    ("errors", "{:>7}"),
)


def _row(result: Result) -> list[str]:
    return [
        result.target,
        result.scenario,
        str(result.concurrency),
        f"{result.rps:,.0f}",
        f"{result.p50_ms:.2f}",
        f"{result.p99_ms:.2f}",
        f"{result.cpu_us_per_request:.0f}",
        str(result.errors),
    ]


def print_table(results: list[Result]) -> None:
    header = " ".join(fmt.format(name) for name, fmt in COLUMNS)
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            " ".join(fmt.format(cell) for (_, fmt), cell in zip(COLUMNS, _row(result), strict=True))
        )


def print_added_costs(results: list[Result]) -> None:
    for comparison in COMPARISONS:
        print_added_cost(results, comparison)


def print_added_cost(results: list[Result], comparison: Comparison) -> None:
    """Per compared row: its req/s over the base row's, and the CPU it adds a request
    (the gateway's, plus its Redis server's, shown apart as well)."""
    base_rows = {(r.scenario, r.concurrency): r for r in results if r.target == comparison.base}
    pairs = [
        (r, base_rows[(r.scenario, r.concurrency)])
        for r in results
        if r.target in comparison.targets and (r.scenario, r.concurrency) in base_rows
    ]
    if not pairs:
        return
    goal = f"; goal: {comparison.goal}" if comparison.goal else ""
    print(f"\nadded by {comparison.added_by} (against {comparison.base} in this run{goal})")
    header = f"{'target':<19} {'scenario':<12} {'conc':>4} {'req/s ratio':>11} "
    header += f"{'+CPU µs/req':>11} {'of it Redis':>11} {'+p50 ms':>8}"
    print(header)
    print("-" * len(header))
    for row, base in pairs:
        added_cpu = row.cpu_us_per_request + row.redis_cpu_us_per_request
        added_cpu -= base.cpu_us_per_request
        print(
            f"{row.target:<19} {row.scenario:<12} {row.concurrency:>4} "
            f"{row.rps / base.rps:>10.2f}x {added_cpu:>+11.0f} "
            f"{row.redis_cpu_us_per_request:>11.0f} {row.p50_ms - base.p50_ms:>+8.2f}"
        )


def print_usage_counts(counts: list[UsageLogCount]) -> None:
    for count in counts:
        verdict = "a line for each" if count.complete else "LINES MISSING"
        print(
            f"\nusage log of {count.target}: {count.lines:,} lines for {count.requests:,} "
            f"requests wrk counted (warm-up and checks included): {verdict}"
        )


def print_facts(facts: list[TargetFacts]) -> None:
    if not facts:
        return
    print("\nstart-up to first chat answer, and memory of the process tree after the runs")
    header = f"{'target':<19} {'start-up s':>10} {'RSS MiB':>8} {'PSS MiB':>8}"
    print(header)
    print("-" * len(header))
    for fact in facts:
        startup = "-" if fact.startup_s is None else f"{fact.startup_s:.2f}"
        print(f"{fact.target:<19} {startup:>10} {fact.rss_mib:>8.1f} {fact.pss_mib:>8.1f}")


def upstream_note(plan: RunPlan) -> str:
    if plan.upstream == "nginx":
        return "upstream: canned nginx (one process, the load core)"
    return "upstream: the Python mock (the load core); the 50 ms scenario needs nginx"


def core_note(cores: Cores) -> str:
    available = len(os.sched_getaffinity(0))
    if cores.load == cores.server:
        return f"{available} core available: everything shares core {cores.load}"
    return (
        f"{available} cores available; pinned: core {cores.load} = mock upstream + wrk, "
        f"core {cores.server} = server under test. CPU µs/req is the server's (process and "
        "children; not its Redis server); for the mock row, the mock's. Gateway rows near the "
        "mock row are bound by "
        f"core {cores.load}."
    )


def two_core_note(results: list[Result]) -> str | None:
    if not any(result.target == TWO_CORE_TARGET for result in results):
        return None
    return (
        f"{TWO_CORE_TARGET}: two workers on both cores, which wrk and the upstream share with "
        "them; its CPU µs/req sums both workers."
    )


def write_json(
    path: Path,
    plan: RunPlan,
    results: list[Result],
    failures: dict[str, str],
    usage_counts: list[UsageLogCount],
    facts: list[TargetFacts],
) -> None:
    document = {
        "upstream": plan.upstream,
        "cores": {"load": plan.cores.load, "server": plan.cores.server},
        "note": core_note(plan.cores),
        "duration_s": plan.seconds,
        "warmup_s": plan.warmup_seconds,
        "results": [asdict(result) for result in results],
        "usage_log_counts": [asdict(count) for count in usage_counts],
        "target_facts": [asdict(fact) for fact in facts],
        "failures": failures,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
