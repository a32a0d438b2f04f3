"""The results as a table on stdout and, on request, as a JSON file."""

import json
import os
from dataclasses import asdict
from pathlib import Path

from loadkit.measure import Result
from loadkit.plan import Cores, RunPlan

COLUMNS = (
    ("target", "{:<13}"),
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


def core_note(cores: Cores) -> str:
    available = len(os.sched_getaffinity(0))
    if cores.load == cores.server:
        return f"{available} core available: everything shares core {cores.load}"
    return (
        f"{available} cores available; pinned: core {cores.load} = mock upstream + wrk, "
        f"core {cores.server} = server under test. CPU µs/req is the server's (process and "
        "children); for the mock row, the mock's. Gateway rows near the mock row are bound by "
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
