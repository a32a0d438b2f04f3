"""The gateway's own time: everything but the wait on the upstream."""

from __future__ import annotations

from time import perf_counter


def overhead_header(started: float, upstream_s: float) -> tuple[str, str]:
    overhead_ms = max(0.0, (perf_counter() - started - upstream_s) * 1000)
    return ("x-ferrogate-overhead-ms", f"{overhead_ms:.3f}")
