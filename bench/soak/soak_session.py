"""One soak: the servers up, the load process running, a reading every interval."""

import contextlib
import json
import multiprocessing
import time
import urllib.request
from pathlib import Path

from outcomes import SharedCounts
from probes import Probe
from report_lines import header, row
from soak_stack import SoakStack, start_stack
from traffic import run_traffic
from verdict import Sample

from loadkit.errors import BenchError

LOAD_STOP_S = 35  # the load's requests time out after 30 s, so it has ended by then


def run_soak(workdir: Path, report_times: list[float], rate: float, workers: int) -> list[Sample]:
    """Print a row at each of `report_times` (seconds from the load's start); the samples."""
    with contextlib.ExitStack() as stack:
        soak = start_stack(workdir, workers, stack)
        probe = Probe(soak.gateway_pid, soak.gateway_url, soak.redis_url)
        stack.callback(probe.close)
        counts = SharedCounts()
        spawn = multiprocessing.get_context("spawn")
        stop = spawn.Event()
        load = spawn.Process(
            target=run_traffic, args=(soak.gateway_url, soak.keys, rate, counts, stop)
        )
        load.start()
        stack.callback(_stop_load, load, stop)  # runs before the servers stop (LIFO)
        print(f"soak: {rate:.0f} req/s, gateway {workers} worker(s), work files in {workdir}")
        print(header(), flush=True)
        samples = _sample(soak, load, probe, counts, report_times)
        stop.set()
        print(f"mock upstream saw: {_mock_stats(soak)}")
    return samples


def _sample(
    soak: SoakStack,
    load: multiprocessing.process.BaseProcess,
    probe: Probe,
    counts: SharedCounts,
    report_times: list[float],
) -> list[Sample]:
    samples: list[Sample] = []
    start = time.monotonic()
    for at in report_times:
        time.sleep(max(0.0, start + at - time.monotonic()))
        if soak.gateway.process.poll() is not None:
            raise BenchError(
                f"the gateway exited; last lines of its log:\n{soak.gateway.log_tail()}"
            )
        if not load.is_alive():
            raise BenchError(f"the load process exited with status {load.exitcode}")
        sample = Sample(time.monotonic() - start, counts.read(), probe.read())
        print(row(sample, samples[-1] if samples else None), flush=True)
        samples.append(sample)
    return samples


def _stop_load(load: multiprocessing.process.BaseProcess, stop) -> None:
    stop.set()
    load.join(LOAD_STOP_S)
    if load.is_alive():
        load.kill()
        load.join()


def _mock_stats(soak: SoakStack) -> str:
    with urllib.request.urlopen(f"{soak.mock_url}/_stats", timeout=10) as response:
        stats = json.loads(response.read())
    faults = ", ".join(f"{kind} {count}" for kind, count in stats["faults"].items() if count)
    return f"{stats['requests']} requests, faults: {faults or 'none'}"
