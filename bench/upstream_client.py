"""Which HTTP client should carry upstream calls? CPU per request, side by side.

Starts the mock upstream pinned to one core, runs this process pinned to the other,
and sends the same chat request at concurrency 16 with aiohttp, httpx, pyreqwest and
Ferrogate's own client (an asyncio protocol on the loop), alternating clients over
several rounds. CPU time counts every thread of this process
(pyreqwest runs its I/O on a Rust thread). Prints medians and the ratio to the best.

    .venv/bin/python bench/upstream_client.py [--requests 4000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

# bench/ is this script's folder, so Python already has it on sys.path for `loadkit`.
from loadkit.chat import request_body
from loadkit.targets import MOCK_API_KEY, chat_url, start_mock

BODY = request_body(stream=False)
HEADERS = {"authorization": f"Bearer {MOCK_API_KEY}", "content-type": "application/json"}
CONCURRENCY = 16
MOCK_CORE, CLIENT_CORE = 1, 0


async def run_aiohttp(url: str, total: int) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one() -> None:
            async with session.post(url, data=BODY, headers=HEADERS) as response:
                await response.read()

        await _drive(one, total)


async def run_httpx(url: str, total: int) -> None:
    import httpx

    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=CONCURRENCY)) as client:

        async def one() -> None:
            response = await client.post(url, content=BODY, headers=HEADERS)
            response.read()

        await _drive(one, total)


async def run_pyreqwest(url: str, total: int) -> None:
    from pyreqwest.client import ClientBuilder

    client = ClientBuilder().timeout(timedelta(seconds=30)).build()

    async def one() -> None:
        response = await client.post(url).headers(HEADERS).body_bytes(BODY).build().send()
        await response.bytes()

    await _drive(one, total)
    await client.close()


async def _drive(one, total: int) -> None:
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await one()

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


async def run_ferrogate(url: str, total: int) -> None:
    from ferrogate.upstream import UpstreamClient

    client = UpstreamClient(provider="mock", headers=HEADERS, timeout_s=30.0, connect_timeout_s=5.0)

    async def one() -> None:
        await client.post(url, BODY)

    await _drive(one, total)
    await client.aclose()


CLIENTS = {
    "aiohttp": run_aiohttp,
    "httpx": run_httpx,
    "pyreqwest": run_pyreqwest,
    "ferrogate": run_ferrogate,
}


def measure(run, url: str, total: int) -> tuple[float, float]:
    import uvloop

    wall, cpu = time.perf_counter(), time.process_time()
    uvloop.run(run(url, total))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return total / wall, cpu / total * 1e6


@contextmanager
def mock_upstream() -> Iterator[str]:
    """The mock on its own core; yields its chat completions URL."""
    with tempfile.TemporaryDirectory(prefix="ferrogate-client-") as workdir:
        mock, port = start_mock(Path(workdir), MOCK_CORE)
        try:
            yield chat_url(port)
        finally:
            mock.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.sched_setaffinity(0, {CLIENT_CORE})
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in CLIENTS}
    with mock_upstream() as url:
        for run in CLIENTS.values():
            measure(run, url, 500)  # warm up connections and imports
        for _ in range(args.rounds):
            for name, run in CLIENTS.items():
                results[name].append(measure(run, url, args.requests))
    _print(results, args)


def _print(results: dict[str, list[tuple[float, float]]], args) -> None:
    medians = {
        name: (statistics.median(r for r, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in results.items()
    }
    best_cpu = min(cpu for _, cpu in medians.values())
    print(
        "client      req/s (median)  CPU us/req (median)  CPU vs best   "
        f"[{args.rounds} rounds x {args.requests} requests, concurrency {CONCURRENCY}]"
    )
    for name, (rate, cpu) in sorted(medians.items(), key=lambda item: item[1][1]):
        print(f"{name:<11} {rate:>14,.0f}  {cpu:>19.1f}  {cpu / best_cpu:>10.2f}x")


if __name__ == "__main__":
    main()
