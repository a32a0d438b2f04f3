"""Three processes, each with its own RedisLimiter, drive one key over its RPM and TPM at once.

From a full bucket, GCRA admits at most ``capacity + rate * elapsed``; leases are taken from
Redis before they are spent, so they add nothing to that bound here (see the overshoot bound
in ``ferrogate.limits.redis_limiter``). Run with ``-s`` to see the measured overshoot.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
import redis

REPO_ROOT = Path(__file__).resolve().parents[2]
RPM, TPM = 600, 60_000
PROCESSES = 3
SECONDS = 3.0
START_DELAY_S = 2.0  # time for the drivers to import and connect before the shared start


def run_drivers(url: str, key: str, lease_fraction: float) -> list[dict]:
    start_at = time.time() + START_DELAY_S
    drivers = [
        subprocess.Popen(
            [
                sys.executable, "-m", "tests.limits.accuracy_driver",
                "--redis-url", url, "--key", key, "--rpm", str(RPM), "--tpm", str(TPM),
                "--lease-fraction", str(lease_fraction), "--start-at", str(start_at),
                "--seconds", str(SECONDS), "--seed", str(seed),
            ],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
        )
        for seed in range(PROCESSES)
    ]  # fmt: skip
    outputs = [driver.communicate(timeout=60)[0] for driver in drivers]
    assert all(driver.returncode == 0 for driver in drivers)
    return [orjson.loads(output) for output in outputs]


@pytest.mark.slow
@pytest.mark.parametrize("lease_fraction", [0.0, 0.002, 0.02])
def test_three_instances_together_stay_within_one_percent_of_the_limits(
    redis_client: redis.Redis, redis_stack_url: str, lease_fraction: float
):
    redis_client.config_resetstat()  # count this run's script calls only
    tallies = run_drivers(redis_stack_url, f"accuracy-{lease_fraction}", lease_fraction)
    elapsed = max(t["last_admit"] for t in tallies) - min(t["first_try"] for t in tallies)
    requests = sum(t["requests"] for t in tallies)
    tokens = sum(t["tokens"] for t in tallies)
    request_bound = RPM + RPM / 60 * elapsed
    token_bound = TPM + TPM / 60 * elapsed
    calls = redis_client.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)
    print(
        f"\nlease_fraction {lease_fraction}: {elapsed:.2f} s, "
        f"requests {requests} of {request_bound:.0f} allowed "
        f"(overshoot {100 * (requests / request_bound - 1):+.2f}%), "
        f"tokens {tokens} of {token_bound:.0f} "
        f"(overshoot {100 * (tokens / token_bound - 1):+.2f}%), "
        f"per process {[t['requests'] for t in tallies]}, "
        f"Redis script calls {calls} for {requests + sum(t['refused'] for t in tallies)} admits"
    )
    assert requests <= 1.01 * request_bound
    assert tokens <= 1.01 * token_bound
    # Not trivially refusing: one of the two limits is used up.
    assert requests >= 0.9 * RPM or tokens >= 0.9 * TPM
