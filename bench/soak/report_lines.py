"""The soak's printed lines: a header, one row per reading, the verdict."""

from outcomes import OUTCOMES
from verdict import Check, Sample

_COLUMNS = (
    ("elapsed", 7),
    *((outcome, 8) for outcome in OUTCOMES),
    ("req/s", 6),
    ("RSS MiB", 8),
    ("PSS MiB", 8),
    ("fds", 5),
    ("redis", 5),
    ("tasks", 5),
    ("CPU %", 5),
)


def header() -> str:
    return " ".join(name.rjust(width) for name, width in _COLUMNS)


def row(sample: Sample, previous: Sample | None) -> str:
    """Counts are totals since the start; req/s and CPU % are since the previous row."""
    since_s = sample.elapsed_s - (previous.elapsed_s if previous else 0)
    sent = sample.counts.sent - (previous.counts.sent if previous else 0)
    reading = sample.reading
    cells = (
        f"{sample.elapsed_s:.0f}s",
        *(str(sample.counts[outcome]) for outcome in OUTCOMES),
        f"{sent / since_s:.0f}",
        f"{reading.rss_mib:.1f}",
        f"{reading.pss_mib:.1f}",
        str(reading.fds),
        str(reading.redis_clients),
        "n/a" if reading.tasks is None else str(reading.tasks),
        # Near 100 (of one core per worker) the gateway is saturated: requests queue, and
        # the connections its pools open follow the queue, not a leak.
        f"{(reading.cpu_s - (previous.reading.cpu_s if previous else 0)) / since_s * 100:.0f}",
    )
    return " ".join(cell.rjust(width) for cell, (_, width) in zip(cells, _COLUMNS, strict=True))


def verdict(checks: list[Check], warmup_s: float) -> str:
    passed = all(item.passed for item in checks)
    title = f"verdict ({'pass' if passed else 'MISS'}), after a {warmup_s:.0f} s warm-up:"
    return "\n".join([title, *(item.line() for item in checks)])
