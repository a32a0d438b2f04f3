"""What is measured (scenarios), where it runs (cores), and the settings of one run."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from loadkit.routes import PYTHON_PREFIXES


@dataclass(frozen=True)
class Scenario:
    name: str
    stream: bool
    concurrency: int
    request: str = "chat"  # which request of loadkit.chat.REQUESTS is sent
    slow: bool = False  # the upstream answers after 50 ms (the nginx upstream only)

    @property
    def kind(self) -> str:
        """The upstream answer it is measured with (loadkit.routes)."""
        return "slow" if self.slow else "stream" if self.stream else "chat"


SCENARIOS = (
    Scenario("chat", stream=False, concurrency=1),
    Scenario("chat", stream=False, concurrency=16),
    Scenario("chat", stream=False, concurrency=64),
    Scenario("chat-stream", stream=True, concurrency=16),
)
# Issue 8's 50 ms upstream: 256 requests in flight, ideal 256 / 0.05 s = 5,120 req/s. What it
# shows is whether the gateway keeps that many requests and upstream connections open at
# once without queueing, so only the mock and the plain gateway run it.
SLOW_SCENARIO = Scenario("chat-50ms", stream=False, concurrency=256, slow=True)
SLOW_MIN_SECONDS = 5  # every connection's first requests are slow: give p99 enough others
PLAIN_SCENARIOS = (*SCENARIOS, SLOW_SCENARIO)

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

# Everything on (keys, limits, spend, the cache, metrics, usage log). `chat` is sent with
# `cache-control: no-cache, no-store`: the cache scopes each request but neither answers nor
# keeps it, so every request still goes to the upstream and the row is the proxy's cost with
# every feature on, comparable with granian-bare's `chat`. (A miss that may be kept would
# embed the user turn: about 6 ms with the local embedder, the semantic cache's cost, not the
# exact tier's.) `hit-exact` is the exact tier answering the same request.
FULL_SCENARIOS = (
    Scenario("chat", stream=False, concurrency=16, request="uncached"),
    Scenario("hit-exact", stream=False, concurrency=16),
)

# Two workers on both cores against one worker on one: granian's chat c=64 row.
TWO_CORE_SCENARIOS = (Scenario("chat", stream=False, concurrency=64),)


@dataclass(frozen=True)
class Cores:
    load: int  # the mock upstream and wrk
    server: int  # the server under test

    @staticmethod
    def detect() -> "Cores":
        cores = sorted(os.sched_getaffinity(0))
        return Cores(load=cores[0], server=cores[1] if len(cores) > 1 else cores[0])

    @property
    def both(self) -> str:
        """For taskset: the load core and the server core."""
        return f"{self.load},{self.server}" if self.load != self.server else str(self.load)


@dataclass(frozen=True)
class RunPlan:
    wrk: str
    workdir: Path
    cores: Cores
    seconds: int
    warmup_seconds: int
    mock_pid: int
    mock_port: int
    # Kind of answer -> the upstream's base path for it (loadkit.routes); a kind missing is
    # an answer this upstream cannot give, and its scenarios are skipped.
    prefixes: Mapping[str, str] = field(default_factory=lambda: dict(PYTHON_PREFIXES))
    upstream: str = "python"  # which mock: "python" or "nginx"
