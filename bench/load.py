"""Load benchmark: the mock upstream alone, then the gateway on Granian and on Robyn, on
Granian with the response cache on, with virtual keys and limits, with its metrics and
usage log off and on, with all of it on, and with two workers on both cores.

    .venv/bin/python bench/load.py [--duration 10] [--rounds 1] [--quick] [--json results.json]
        [--upstream auto|nginx|python]
        [--targets mock,granian,robyn,granian-cache,granian-keys,granian-keys-redis,
                   granian-bare,granian-observed,granian-full,granian-2w]

Drives each target with wrk (installed with apt-get when missing): non-streaming chat at
concurrency 1, 16 and 64, streaming chat (11 chunks) at 16, and for the mock and granian
chat with the upstream answering in 50 ms at 256 (ideal: 5,120 req/s). The mock upstream
and wrk share one core, the server under test gets the other, so the mock row is also the
ceiling of the gateway rows: a gateway row close to it is limited by that core, not by the
gateway.

The upstream is a canned nginx (issue 8's method; installed with apt-get with its echo
module, run as one process of the bench's own, see loadkit/nginx_mock.py) unless it cannot
be installed or `--upstream python` asks for the Python mock, whose ceiling is far lower and
which has no 50 ms answer (that scenario is then skipped).

The granian-cache target is primed so every request is a cache hit: the same chat request
(`hit-exact`, to compare with granian's `chat` rows) and a paraphrase sent with
`cache-control: no-store` (`hit-l1`: the local embedding plus the L1 search, every time).

The keyed targets start the gateway with a master key and send every request with one
virtual key whose rpm, tpm and budget no run can reach, so every answer is a 200 and the
rows show what authentication, rate limits and spend cost, not refusals: `granian-keys`
keeps keys in SQLite, limits in process and spend in SQLite; `granian-keys-redis` keeps all
three in a Redis Stack the bench starts on the server's core (its CPU is reported apart).
Both run chat at c=1 and c=16 and streaming chat at c=16. After the table, "added by
keys+limits" sets each keyed row against the plain granian row of the same run: req/s
ratio, the CPU added per request (gateway plus Redis) and the added median latency.

Every gateway target keeps the default telemetry (metrics and dashboard figures on, so
/metrics and Prometheus' multiprocess mode; usage log off) except two: `granian-bare` turns
metrics, dashboard figures and the usage log off, `granian-observed` turns all three on, the
usage log to a file in the run's folder. Both run the keyed targets' three scenarios, and
"added by metrics + usage log + dashboard" sets observed against
bare the same way (issue 7's goal: at most 10% fewer req/s). The observed gateway's usage log
is then counted: it must hold a line for each request wrk counted (warm-up and the answer
checks included; a request open when wrk stops may add one more), else the target fails.

`granian-full` has keys, limits, spend, the cache, metrics and the usage log all on; its
`chat` row is sent with `cache-control: no-cache, no-store`, so every request still goes to
the upstream, and "added by everything on" sets it against granian-bare (issue 8: at least
70% of the bare throughput); its `hit-exact` row is the exact cache answering. `granian-2w`
runs two workers on both cores (sharing them with wrk and the upstream), chat at c=64, set
against granian's row (issue 8: at least 1.7x). After the table: each target's start-up
(spawn to first chat answer; keyed targets are not timed) and its process tree's memory
after its runs (RSS and PSS).

With `--rounds N`, all the targets run N times, round after round, and every figure shown
is the median of its N rounds: on a noisy machine, the way to compare two targets.
"""

import argparse
import sys
from pathlib import Path

# No sys.path edit needed: run as a script, Python puts bench/ (this file's folder) first on
# sys.path, so the package bench/loadkit imports as `loadkit`.
from loadkit.errors import BenchError
from loadkit.facts import TargetFacts
from loadkit.measure import Result
from loadkit.report import (
    core_note,
    print_added_costs,
    print_facts,
    print_table,
    print_usage_counts,
    two_core_note,
    upstream_note,
    write_json,
)
from loadkit.rounds import median_facts, median_results
from loadkit.session import run_benchmark
from loadkit.targets import TARGETS
from loadkit.upstream import CHOICES
from loadkit.usage_count import UsageLogCount


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (wrk: whole)")
    parser.add_argument("--quick", action="store_true", help="2 s runs, short warm-up (smoke test)")
    parser.add_argument(
        "--targets", default=",".join(TARGETS), help="comma list of " + "|".join(TARGETS)
    )
    parser.add_argument(
        "--upstream",
        choices=CHOICES,
        default="auto",
        help="the mock upstream: auto = nginx when it is or can be installed, else python",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the targets this many times, interleaved, and show each figure's median",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    args.targets = [name.strip() for name in args.targets.split(",") if name.strip()]
    if unknown := set(args.targets) - set(TARGETS):
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    if args.duration <= 0 or args.rounds <= 0:
        parser.error("--duration and --rounds must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    seconds, warmup = (2, 1) if args.quick else (args.duration, min(args.duration, 2))
    rounds: list[list[Result]] = []
    round_facts: list[list[TargetFacts]] = []
    failures: dict[str, str] = {}
    usage_counts: list[UsageLogCount] = []
    for number in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"round {number} of {args.rounds}", file=sys.stderr)
        rounds.append([])
        round_facts.append([])
        round_failures: dict[str, str] = {}
        try:
            plan = run_benchmark(
                args.targets,
                seconds,
                warmup,
                results=rounds[-1],
                failures=round_failures,
                usage_counts=usage_counts,
                facts=round_facts[-1],
                upstream=args.upstream,
            )
        except BenchError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("interrupted; servers stopped", file=sys.stderr)
            print_table(median_results(rounds))
            return 130
        if args.rounds > 1:
            round_failures = {
                f"{name} (round {number})": why for name, why in round_failures.items()
            }
        failures.update(round_failures)
    results, facts = median_results(rounds), median_facts(round_facts)
    if args.rounds > 1:
        print(f"each figure: the median of {args.rounds} interleaved rounds")
    print(core_note(plan.cores))
    print(upstream_note(plan))
    if note := two_core_note(results):
        print(note)
    print_table(results)
    print_added_costs(results)
    print_facts(facts)
    print_usage_counts(usage_counts)
    if args.json:
        write_json(args.json, plan, results, failures, usage_counts, facts)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
