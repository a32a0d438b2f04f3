"""Before a release: issue 8's performance targets, checked on this machine, failing loudly.

    .venv/bin/python bench/release_check.py [--duration 15] [--rounds 3] [--upstream auto]

Runs bench/load.py's `granian`, `granian-bare`, `granian-full` and `granian-2w` targets in
front of the canned nginx upstream (gateway on one core, wrk and nginx on the other; the
2-worker target on both), as issue 8's method says: the targets interleaved, round after
round, each figure the median of its rounds. Prints one line per target with the measured
figure, and exits 1 if any is missed or any target failed to run.
Not part of `make test`: timings on shared machines are noise for a test, not for a person
deciding whether to ship.

What is checked where:
- chat c=16, chat c=1, stream c=16, the 50 ms upstream at c=256: granian's rows;
- everything on (keys, limits, spend, the cache, metrics, usage log) against bare: the
  granian-full `chat` row (each request scoped by the cache but sent upstream; see
  loadkit/plan.py, FULL_SCENARIOS) over granian-bare's, chat c=16;
- memory after load: granian's process tree after its runs, PSS (RSS shown beside it); no
  local embedder is loaded by that target;
- start-up: granian, spawn to its first chat answer;
- two-core scaling: granian-2w (two workers, both cores, sharing them with wrk and nginx)
  over granian (one worker, one core), chat c=64, in the same rounds.
"""

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

from loadkit.errors import BenchError
from loadkit.facts import TargetFacts
from loadkit.measure import Result
from loadkit.report import print_facts, print_table, two_core_note
from loadkit.rounds import median_facts, median_results
from loadkit.session import run_benchmark
from loadkit.upstream import CHOICES

TARGETS = ["granian", "granian-bare", "granian-full", "granian-2w"]


@dataclass(frozen=True)
class Figures:
    results: list[Result]
    facts: list[TargetFacts]

    def row(self, target: str, scenario: str, concurrency: int, field: str) -> float | None:
        for result in self.results:
            if (result.target, result.scenario, result.concurrency) == (
                target,
                scenario,
                concurrency,
            ):
                return getattr(result, field)
        return None

    def fact(self, target: str, field: str) -> float | None:
        found = next((fact for fact in self.facts if fact.target == target), None)
        return getattr(found, field) if found else None

    def ratio(self, over: tuple[str, str, int], under: tuple[str, str, int]) -> float | None:
        top, bottom = self.row(*over, "rps"), self.row(*under, "rps")
        return top / bottom if top and bottom else None


@dataclass(frozen=True)
class Goal:
    what: str
    figure: Callable[[Figures], float | None]
    at_least: float | None = None
    at_most: float | None = None
    below: float | None = None  # strictly

    def met(self, value: float) -> bool:
        if self.at_least is not None and value < self.at_least:
            return False
        if self.below is not None and value >= self.below:
            return False
        return self.at_most is None or value <= self.at_most

    def bound(self) -> str:
        if self.at_least is not None:
            return f">= {self.at_least:,g}"
        return f"<= {self.at_most:,g}" if self.at_most is not None else f"< {self.below:,g}"


def _granian(scenario: str, concurrency: int, field: str) -> Callable[[Figures], float | None]:
    return lambda figures: figures.row("granian", scenario, concurrency, field)


GOALS = (
    Goal("chat c=16 req/s", _granian("chat", 16, "rps"), at_least=10_000),
    Goal("chat c=16 gateway CPU µs/req", _granian("chat", 16, "cpu_us_per_request"), at_most=100),
    Goal("chat c=1 p50 ms", _granian("chat", 1, "p50_ms"), at_most=0.3),
    Goal("stream c=16 req/s", _granian("chat-stream", 16, "rps"), at_least=5_000),
    Goal("50 ms upstream c=256 req/s", _granian("chat-50ms", 256, "rps"), at_least=4_800),
    Goal("50 ms upstream c=256 p99 ms", _granian("chat-50ms", 256, "p99_ms"), below=60),
    Goal(
        "everything on / bare, chat c=16",
        lambda f: f.ratio(("granian-full", "chat", 16), ("granian-bare", "chat", 16)),
        at_least=0.70,
    ),
    Goal("memory after load, PSS MiB", lambda f: f.fact("granian", "pss_mib"), at_most=100),
    Goal("start-up to first answer, s", lambda f: f.fact("granian", "startup_s"), at_most=1.0),
    Goal(
        "2 workers on 2 cores / 1 on 1, c=64",
        lambda f: f.ratio(("granian-2w", "chat", 64), ("granian", "chat", 64)),
        at_least=1.70,
    ),
)


def check(figures: Figures) -> list[str]:
    """Print one line per goal; the goals missed."""
    missed = []
    print("\nrelease targets (medians over the rounds)")
    for goal in GOALS:
        value = goal.figure(figures)
        verdict = "MISSED" if value is None or not goal.met(value) else "met"
        shown = "not measured" if value is None else f"{value:,.2f}"
        print(f"  {verdict:<7}{goal.what:<38}{shown:>14}  (target {goal.bound()})")
        if verdict == "MISSED":
            missed.append(goal.what)
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians)")
    parser.add_argument("--upstream", choices=CHOICES, default="auto", help="the mock upstream")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.rounds <= 0:
        parser.error("--duration and --rounds must be positive")
    rounds: list[list[Result]] = []
    round_facts: list[list[TargetFacts]] = []
    failures: dict[str, str] = {}
    for number in range(1, args.rounds + 1):
        print(f"round {number} of {args.rounds}", file=sys.stderr)
        rounds.append([])
        round_facts.append([])
        round_failures: dict[str, str] = {}
        try:
            run_benchmark(
                TARGETS,
                args.duration,
                min(args.duration, 2),
                results=rounds[-1],
                failures=round_failures,
                usage_counts=[],
                facts=round_facts[-1],
                upstream=args.upstream,
            )
        except BenchError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        failures.update({f"{name} (round {number})": why for name, why in round_failures.items()})
    figures = Figures(median_results(rounds), median_facts(round_facts))
    print(two_core_note(figures.results) or "")
    print_table(figures.results)
    print_facts(figures.facts)
    missed = check(figures)
    missed += [f"{name} failed to run: {why.splitlines()[0]}" for name, why in failures.items()]
    if missed:
        print(f"\nMISSED {len(missed)} target(s): {', '.join(missed)}", file=sys.stderr)
        return 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
