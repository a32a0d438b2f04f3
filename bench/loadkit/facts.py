"""What a target shows once, not per scenario: start-up to first answer, memory after load."""

from dataclasses import dataclass

from loadkit.targets import Target
from loadkit.tree_memory import tree_memory


@dataclass(frozen=True)
class TargetFacts:
    target: str
    startup_s: float | None  # spawn to first chat answer; None when not timed (keyed)
    rss_mib: float  # the server's process tree after its runs (loadkit.tree_memory)
    pss_mib: float


def facts_after_load(target: Target) -> TargetFacts:
    memory = tree_memory(target.pid)
    return TargetFacts(target.name, target.startup_s, memory.rss_mib, memory.pss_mib)
