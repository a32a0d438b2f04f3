"""The usage log of an observed target, counted against the requests sent to it."""

import time
from dataclasses import dataclass
from pathlib import Path

# The gateway writes the log off the request path, in batches: give the last one time to land.
SETTLE_LIMIT_S = 10.0
POLL_S = 0.2
STILL_POLLS = 5  # unchanged this many polls in a row: nothing more is coming


@dataclass(frozen=True)
class UsageLogCount:
    target: str
    lines: int
    requests: int  # done by wrk's runs (warm-up included) and the answer checks

    @property
    def complete(self) -> bool:
        """A line for every request counted; requests still open when wrk stopped may add
        a few lines more, so more is fine, fewer is lost lines."""
        return self.lines >= self.requests


def count_usage_log(target: str, path: Path, requests: int) -> UsageLogCount:
    return UsageLogCount(target, _settled_line_count(path, requests), requests)


def _settled_line_count(path: Path, expected: int) -> int:
    deadline = time.monotonic() + SETTLE_LIMIT_S
    lines, still = _line_count(path), 0
    while lines < expected and still < STILL_POLLS and time.monotonic() < deadline:
        time.sleep(POLL_S)
        previous, lines = lines, _line_count(path)
        still = still + 1 if lines == previous else 0
    return lines


def _line_count(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0
