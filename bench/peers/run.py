"""Ferrogate beside its peers: LiteLLM's proxy and Portkey's gateway, same mock, same load.

    .venv/bin/python bench/peers/run.py [--duration 10] [--quick] [--peers litellm,portkey]
        [--json results.json]

The script installs the peers itself, pinned, under .bench-peers/ at the repo root (reused
by later runs): LiteLLM's proxy from PyPI into a python3.11 venv of its own, Portkey's
gateway from npm (run with node). A peer that cannot be installed, started or loaded keeps
its column, whose cells say at which step it failed; the reason follows the table, and the
run goes on. Needs network access to PyPI and npm on the first run only.

Every server faces the same mock upstream (bench/load.py's, 8-chunk streams, no added
latency) and the same wrk load: the mock and wrk on one core, the server under test pinned
to the other (bench/loadkit does both; one server at a time). Each gateway is set up as a
user would, in front of the mock's OpenAI API:
- ferrogate: `ferrogate serve --server granian`, the default config (metrics on, usage log
  off) with one model on the mock;
- litellm: `litellm --config`, one model `openai/bench-model` with `api_base` the mock, no
  database, errors-only logging, the cost map read locally (no fetch from GitHub); it
  refuses to start without a master key, so it has a random one that every request sends;
- portkey: `start-server.js --headless`, configured per request by headers
  (`x-portkey-provider: openai`, `x-portkey-custom-host: <mock>/v1`, the mock's key).

Columns: mock = wrk straight at the mock, the ceiling of every other column (a gateway
close to it is bound by the load core, not by itself); ferrogate, litellm, portkey = that
gateway in front of the mock; ferrogate/<peer> = ferrogate's figure divided by the peer's
(above 1 on the req/s rows, below 1 on the others, means ferrogate does better).

Rows: chat at concurrency 1, median latency; chat and streaming chat at concurrency 16,
requests per second; the gateway's CPU time (process and children) per request during the
chat c=16 run; its memory after all runs, as RSS and as PSS, each summed over its processes
(RSS counts the pages a forked worker shares with its parent twice, PSS splits them); the
seconds from spawning it to its first 200 chat answer (a real answer through the mock, so
lazy set-up counts); wrk's errors over all runs (a fast wrong answer must not pass for a
good row: each server's answers are also checked before the load).
"""

import argparse
import sys
from pathlib import Path

# Run as a script, Python puts this folder (bench/peers) first on sys.path; bench/ is added
# so that bench/loadkit imports as `loadkit`, as it does for bench/load.py.
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from comparison_table import print_table, write_json
from measured import Measured
from peer_session import PEERS, run_peers

from loadkit.errors import BenchError


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--quick", action="store_true", help="2 s runs, short warm-up (smoke test)")
    parser.add_argument("--peers", default=",".join(PEERS), help="comma list of " + "|".join(PEERS))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    args.peers = list(dict.fromkeys(name.strip() for name in args.peers.split(",") if name.strip()))
    if unknown := set(args.peers) - set(PEERS):
        parser.error(f"unknown peers: {', '.join(sorted(unknown))}")
    if args.duration <= 0:
        parser.error("--duration must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    seconds, warmup = (2, 1) if args.quick else (args.duration, min(args.duration, 2))
    columns: list[Measured] = []
    try:
        plan = run_peers(args.peers, seconds, warmup, columns)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        print_table(None, columns)
        return 130
    print_table(plan, columns)
    if args.json:
        write_json(args.json, plan, columns)
    return 1 if any(column.failure for column in columns) else 0


if __name__ == "__main__":
    sys.exit(main())
