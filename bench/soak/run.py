"""Soak: mixed traffic through a real gateway for minutes, watching for what grows.

    .venv/bin/python bench/soak/run.py [--minutes 10] [--report-every 30] [--warmup 60]
        [--rate 300] [--workers 1] [--keep-workdir]

Starts a Redis Stack, the mock upstream with faults on (5% 500s, 1% resets, 2% of streams
cut), and a Granian gateway with a master key, keys, limits and spend in Redis, the cache
(small capacities, so it is full after the warm-up), a usage log file and metrics. Makes two
virtual keys through the admin API (a roomy one, and one at 600 rpm that is refused part of
the time), then drives a steady rate of mixed requests from an asyncio client in its own
process: chat and streams with new prompts, repeated prompts (exact cache hits), the limited
key, a model without retries (upstream faults reach the client), streams left after their
first chunk.

Every --report-every seconds a row: requests by outcome so far, the rate since the previous
row, the gateway process tree's RSS and PSS (summed), its open descriptors (summed), Redis's
connected_clients (this script's one connection included) and the gateway's asyncio tasks
(n/a: the gateway exports no such figure yet). At the end, issue 9's targets on the first row
at or after --warmup against the last: RSS grown at most 10%, descriptors at most 10 more
(their floor wanders by a few at a steady load), Redis connections at most 2. Exit status 1
on a miss, 2 when the soak could not run; after a miss the logs and usage log stay in the
work folder it names.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

# Run as a script, Python puts this folder (bench/soak) first on sys.path; bench/ is added
# so that bench/loadkit imports as `loadkit`, as it does for bench/load.py.
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from report_lines import verdict
from soak_session import run_soak
from verdict import check, stall_note

from loadkit.errors import BenchError


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--minutes", type=float, default=10, help="length of the load")
    parser.add_argument("--report-every", type=float, default=30, help="seconds between rows")
    parser.add_argument(
        "--warmup", type=float, default=60, help="seconds before the row the targets start from"
    )
    parser.add_argument("--rate", type=float, default=300, help="requests per second")
    parser.add_argument("--workers", type=int, choices=(1, 2), default=1, help="gateway workers")
    parser.add_argument(
        "--keep-workdir", action="store_true", help="keep the logs and usage log after the run"
    )
    args = parser.parse_args(argv)
    if args.rate <= 0 or args.report_every <= 0 or args.warmup < 0:
        parser.error("--rate and --report-every must be positive, --warmup not negative")
    args.report_times = _report_times(args.minutes * 60, args.report_every)
    if sum(at >= args.warmup for at in args.report_times) < 2:
        parser.error("the run must have two rows at or after --warmup to compare")
    return args


def _report_times(duration_s: float, every_s: float) -> list[float]:
    count = int(duration_s // every_s + 1e-9)
    return [every_s * n for n in range(1, count + 1)]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="ferrogate-soak-"))
    try:
        samples = run_soak(workdir, args.report_times, args.rate, args.workers)
    except BenchError as error:
        print(f"error: {error}\n(work files kept in {workdir})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"interrupted; servers stopped (work files in {workdir})", file=sys.stderr)
        return 130
    checks = check(samples, args.warmup)
    print(verdict(checks, args.warmup))
    if notes := stall_note(samples, args.warmup):
        print(notes)
    passed = all(item.passed for item in checks)
    if passed and not args.keep_workdir:
        # The usage log alone grows by ~100 MB in ten minutes; a miss keeps it and the logs.
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"work files kept in {workdir}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
