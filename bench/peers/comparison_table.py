"""The one table (rows: scenarios; columns: servers, then ferrogate/peer ratios) and its JSON."""

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from measured import Measured

from loadkit.plan import RunPlan
from loadkit.report import core_note

BASE = "ferrogate"


@dataclass(frozen=True)
class Row:
    label: str
    value: Callable[[Measured], float | None]
    spec: str  # format of a value
    gateway_only: bool = True  # nothing to show for the mock alone


def _wrk(scenario: str, concurrency: int, field: str) -> Callable[[Measured], float | None]:
    def value(column: Measured) -> float | None:
        result = column.result(scenario, concurrency)
        return getattr(result, field) if result else None

    return value


def _errors(column: Measured) -> float | None:
    return sum(result.errors for result in column.results) if column.results else None


ROWS = (
    Row("chat, c=1, p50 ms", _wrk("chat", 1, "p50_ms"), "{:,.2f}", False),
    Row("chat, c=16, req/s", _wrk("chat", 16, "rps"), "{:,.0f}", False),
    Row("streaming, c=16, req/s", _wrk("chat-stream", 16, "rps"), "{:,.0f}", False),
    # Taken from the chat c=16 run: the gateway's core is busy, so fixed costs are spread.
    Row("gateway CPU per request, µs", _wrk("chat", 16, "cpu_us_per_request"), "{:,.0f}"),
    Row("memory after load, RSS MiB", lambda column: column.rss_mib, "{:,.0f}"),
    Row("memory after load, PSS MiB", lambda column: column.pss_mib, "{:,.0f}"),
    Row("start-up to first answer, s", lambda column: column.startup_s, "{:,.2f}"),
    Row("wrk errors, all runs", _errors, "{:,.0f}", False),
)
NO_RATIO = {ROWS[-1].label}


def _cell(row: Row, column: Measured) -> str:
    if row.gateway_only and column.name == "mock":
        return "-"
    value = row.value(column)
    if value is not None:
        return row.spec.format(value)
    return f"{column.failed_at} failed" if column.failed_at else "-"


def _ratio(row: Row, base: Measured | None, peer: Measured) -> float | None:
    if base is None or row.label in NO_RATIO:
        return None
    ours, theirs = row.value(base), row.value(peer)
    return ours / theirs if ours is not None and theirs else None


def _ratio_text(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    if ratio >= 10:
        return f"{ratio:,.0f}x"
    return f"{ratio:.3f}x" if ratio < 0.01 else f"{ratio:.2f}x"


def _table(columns: list[Measured]) -> list[list[str]]:
    base = next((column for column in columns if column.name == BASE), None)
    peers = [column for column in columns if column.name not in ("mock", BASE)]
    header = ["scenario", *(c.name for c in columns), *(f"{BASE}/{p.name}" for p in peers)]
    lines = [header, ["version", *(c.version for c in columns), *("" for _ in peers)]]
    for row in ROWS:
        cells = [_cell(row, column) for column in columns]
        ratios = [_ratio_text(_ratio(row, base, peer)) for peer in peers]
        lines.append([row.label, *cells, *ratios])
    return lines


def print_table(plan: RunPlan | None, columns: list[Measured]) -> None:
    lines = _table(columns)
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for number, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)]
        print("  ".join(cells))
        if number == 0:
            print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    if plan:
        print(f"\n{core_note(plan.cores)}")
    print(
        f"{BASE}/peer is {BASE}'s figure over the peer's: above 1 on req/s rows, below 1 on "
        "the others, means ferrogate does better."
    )
    for column in columns:
        if column.failure:
            print(f"\n{column.name}: {column.failed_at} failed: {column.failure}")


def write_json(path: Path, plan: RunPlan | None, columns: list[Measured]) -> None:
    base = next((column for column in columns if column.name == BASE), None)
    rows = [
        {
            "row": row.label,
            "values": {column.name: row.value(column) for column in columns},
            "ratios": {
                f"{BASE}/{column.name}": _ratio(row, base, column)
                for column in columns
                if column.name not in ("mock", BASE)
            },
        }
        for row in ROWS
    ]
    document = {
        "note": core_note(plan.cores) if plan else "",
        "duration_s": plan.seconds if plan else None,
        "warmup_s": plan.warmup_seconds if plan else None,
        "rows": rows,
        "columns": [asdict(column) for column in columns],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
