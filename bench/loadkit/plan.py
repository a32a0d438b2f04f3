"""What is measured (scenarios), where it runs (cores), and the settings of one run."""

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Scenario:
    name: str
    stream: bool
    concurrency: int
    request: str = "chat"  # which request of loadkit.chat.REQUESTS is sent


SCENARIOS = (
    Scenario("chat", stream=False, concurrency=1),
    Scenario("chat", stream=False, concurrency=16),
    Scenario("chat", stream=False, concurrency=64),
    Scenario("chat-stream", stream=True, concurrency=16),
)

# The gateway with the cache on, primed so that every request is a hit: the same chat
# request as above (an exact hit, next to the plain chat rows), and a paraphrase of it sent
# with `no-store` (an L1 hit each time: the exact tier never learns it; embedding included).
CACHE_SCENARIOS = (
    Scenario("hit-exact", stream=False, concurrency=1),
    Scenario("hit-exact", stream=False, concurrency=16),
    Scenario("hit-exact", stream=False, concurrency=64),
    Scenario("hit-exact-stream", stream=True, concurrency=16),
    Scenario("hit-l1", stream=False, concurrency=16, request="paraphrase"),
)

# The targets set against another (keys and limits against plain granian, metrics and usage
# log on against off): the plain gateway's rows less c=64, to keep a run of several short.
COMPARED_SCENARIOS = (
    Scenario("chat", stream=False, concurrency=1),
    Scenario("chat", stream=False, concurrency=16),
    Scenario("chat-stream", stream=True, concurrency=16),
)


@dataclass(frozen=True)
class Cores:
    load: int  # the mock upstream and wrk
    server: int  # the server under test

    @staticmethod
    def detect() -> "Cores":
        cores = sorted(os.sched_getaffinity(0))
        return Cores(load=cores[0], server=cores[1] if len(cores) > 1 else cores[0])


@dataclass(frozen=True)
class RunPlan:
    wrk: str
    workdir: Path
    cores: Cores
    seconds: int
    warmup_seconds: int
    mock_pid: int
    mock_port: int
