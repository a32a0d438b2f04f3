"""What one column of the table holds: a server's rows, start-up, memory, or why it has none."""

from dataclasses import dataclass, field

from loadkit.measure import Result


@dataclass
class Measured:
    name: str
    version: str
    results: list[Result] = field(default_factory=list)
    startup_s: float | None = None
    rss_mib: float | None = None  # after all runs; see loadkit/tree_memory for RSS against PSS
    pss_mib: float | None = None
    failed_at: str | None = None  # "install", "start" or "load": what the cells then say
    failure: str | None = None  # the full reason, printed under the table

    def result(self, scenario: str, concurrency: int) -> Result | None:
        for result in self.results:
            if (result.scenario, result.concurrency) == (scenario, concurrency):
                return result
        return None

    def fail(self, stage: str, reason: str) -> "Measured":
        self.failed_at, self.failure = stage, reason
        return self
