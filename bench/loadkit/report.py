"""The results as a table on stdout and, on request, as a JSON file."""

import json
import os
from dataclasses import asdict
from pathlib import Path

from loadkit.measure import Result
from loadkit.plan import Cores, RunPlan
from loadkit.targets import KEYS_REDIS_TARGET, KEYS_TARGET

# Rows compared with the same scenario of the plain gateway (`granian`) of the same run.
PLAIN_TARGET = "granian"
KEYED_TARGETS = (KEYS_TARGET, KEYS_REDIS_TARGET)

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


def print_added_cost(results: list[Result]) -> None:
    """Per keyed row: its req/s over the plain gateway's, and the CPU it adds a request
    (the gateway's, plus its Redis server's, shown apart as well)."""
    plain = {(r.scenario, r.concurrency): r for r in results if r.target == PLAIN_TARGET}
    pairs = [
        (r, plain[(r.scenario, r.concurrency)])
        for r in results
        if r.target in KEYED_TARGETS and (r.scenario, r.concurrency) in plain
    ]
    if not pairs:
        return
    print(f"\nadded by keys+limits (against {PLAIN_TARGET} in this run)")
    header = f"{'target':<19} {'scenario':<12} {'conc':>4} {'req/s ratio':>11} "
    header += f"{'+CPU µs/req':>11} {'of it Redis':>11} {'+p50 ms':>8}"
    print(header)
    print("-" * len(header))
    for keyed, base in pairs:
        added_cpu = keyed.cpu_us_per_request + keyed.redis_cpu_us_per_request
        added_cpu -= base.cpu_us_per_request
        print(
            f"{keyed.target:<19} {keyed.scenario:<12} {keyed.concurrency:>4} "
            f"{keyed.rps / base.rps:>10.2f}x {added_cpu:>+11.0f} "
            f"{keyed.redis_cpu_us_per_request:>11.0f} {keyed.p50_ms - base.p50_ms:>+8.2f}"
        )


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


def write_json(path: Path, plan: RunPlan, results: list[Result], failures: dict[str, str]) -> None:
    document = {
        "cores": {"load": plan.cores.load, "server": plan.cores.server},
        "note": core_note(plan.cores),
        "duration_s": plan.seconds,
        "warmup_s": plan.warmup_seconds,
        "results": [asdict(result) for result in results],
        "failures": failures,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
