"""Before a release: issue 8's performance targets, checked on this machine, failing loudly.

    .venv/bin/python bench/release_check.py [--duration 15]

Runs bench/load.py's `granian`, `granian-keys` and `granian-bare` targets (gateway on one
core, wrk and the mock upstream on the other) and compares the rows with the targets
below. Prints one line per target with the measured figure, and exits 1 if any is missed.
Not part of `make test`: timings on shared machines are noise for a test, not for a person
deciding whether to ship. The targets the load bench cannot measure yet (the 50 ms upstream
at c=256, memory after load, start-up, two-core scaling) are listed as not checked.
"""

import argparse
import sys
from dataclasses import dataclass

from loadkit.errors import BenchError
from loadkit.measure import Result
from loadkit.report import print_table
from loadkit.session import run_benchmark


@dataclass(frozen=True)
class Goal:
    what: str
    target: str
    scenario: str
    concurrency: int
    field: str  # a Result attribute
    at_least: float | None = None
    at_most: float | None = None

    def figure(self, results: list[Result]) -> float | None:
        for result in results:
            key = (result.target, result.scenario, result.concurrency)
            if key == (self.target, self.scenario, self.concurrency):
                return getattr(result, self.field)
        return None

    def met(self, value: float) -> bool:
        if self.at_least is not None and value < self.at_least:
            return False
        return self.at_most is None or value <= self.at_most


GOALS = (
    Goal("chat c=16 req/s", "granian", "chat", 16, "rps", at_least=10_000),
    Goal("chat c=16 gateway CPU µs/req", "granian", "chat", 16, "cpu_us_per_request", at_most=100),
    Goal("chat c=1 p50 ms", "granian", "chat", 1, "p50_ms", at_most=0.3),
    Goal("stream c=16 req/s", "granian", "chat-stream", 16, "rps", at_least=5_000),
)
# With auth, limits and metrics on: at least 70% of the bare proxy's throughput.
KEYED_SHARE = 0.70
NOT_CHECKED = (
    "50 ms upstream at c=256 (>= 4,800 req/s, p99 < 60 ms)",
    "memory after load (<= 100 MiB)",
    "start-up to first answer (<= 1 s)",
    "two-core scaling (>= 1.7x)",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    args = parser.parse_args(argv)
    results: list[Result] = []
    failures: dict[str, str] = {}
    try:
        run_benchmark(
            ["granian", "granian-keys", "granian-bare"],
            args.duration,
            min(args.duration, 2),
            results=results,
            failures=failures,
            usage_counts=[],
        )
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print_table(results)
    missed = [f"{name} failed to run: {why}" for name, why in failures.items()]
    print("\nrelease targets")
    for goal in GOALS:
        value = goal.figure(results)
        bound = f">= {goal.at_least:g}" if goal.at_least is not None else f"<= {goal.at_most:g}"
        verdict = "MISSED" if value is None or not goal.met(value) else "met"
        shown = "not measured" if value is None else f"{value:,.2f}"
        print(f"  {verdict:<7}{goal.what:<34}{shown:>14}  (target {bound})")
        if verdict == "MISSED":
            missed.append(goal.what)
    keyed = Goal("", "granian-keys", "chat", 16, "rps").figure(results)
    bare = Goal("", "granian-bare", "chat", 16, "rps").figure(results)
    share = keyed / bare if keyed and bare else None
    verdict = "met" if share is not None and share >= KEYED_SHARE else "MISSED"
    shown = "not measured" if share is None else f"{share:.2f}x"
    label = "keys+limits+metrics / bare, c=16"
    print(f"  {verdict:<7}{label:<34}{shown:>14}  (target >= {KEYED_SHARE:.2f}x)")
    if verdict == "MISSED":
        missed.append("keyed share of bare throughput")
    for item in NOT_CHECKED:
        print(f"  {'-':<7}{item} (not checked yet)")
    if missed:
        print(f"\nMISSED {len(missed)} target(s): {', '.join(missed)}", file=sys.stderr)
        return 1
    print("\nall checked targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
