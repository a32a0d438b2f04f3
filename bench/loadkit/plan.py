"""What is measured (scenarios), where it runs (cores), and the settings of one run."""

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Scenario:
    name: str
    stream: bool
    concurrency: int


SCENARIOS = (
    Scenario("chat", stream=False, concurrency=1),
    Scenario("chat", stream=False, concurrency=16),
    Scenario("chat", stream=False, concurrency=64),
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
