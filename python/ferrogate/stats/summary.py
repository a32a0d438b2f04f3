"""Every worker's slots merged into the figures /admin/stats returns.

Rates are per second over a slot (or the window); percentiles are read from merged log
histograms; "errors" are answers of 500 and up and streams that ended with an error event,
"client errors" are 4xx answers (429s included, also counted by kind under rate_limited).
"""

from __future__ import annotations

from typing import Any

from . import log_histogram
from .boards import Slots
from .slot import SIMILARITY_BINS, SIMILARITY_FLOOR, SIMILARITY_STEP, Slot
from .window import SLOT_S, WINDOW_S, slot_start

PERCENTILES = (0.5, 0.9, 0.99)
CACHE_HITS = ("hit-exact", "hit-l1", "hit-l2")
# The figures in the last minute: what "now" means on the dashboard's headline numbers.
RECENT_S = 60


def merged_by_slot(boards: dict[str, Slots], now: float) -> dict[int, Slot]:
    oldest = slot_start(now) - WINDOW_S + SLOT_S
    merged: dict[int, Slot] = {}
    for slots in boards.values():
        for start, slot in slots.items():
            if start < oldest:
                continue
            total = merged.get(start)
            if total is None:
                total = merged[start] = Slot()
            total.merge(slot)
    return merged


def summarize(boards: dict[str, Slots], now: float) -> dict[str, Any]:
    by_slot = merged_by_slot(boards, now)
    current = slot_start(now)
    starts = list(range(current - WINDOW_S + SLOT_S, current + SLOT_S, SLOT_S))
    whole = Slot()
    recent = Slot()
    for start, slot in by_slot.items():
        whole.merge(slot)
        if start > current - RECENT_S:
            recent.merge(slot)
    # The current slot is still filling: rates over it count only the seconds gone by.
    recent_s = RECENT_S - SLOT_S + max(now - current, 1.0)
    return {
        "window_s": WINDOW_S,
        "slot_s": SLOT_S,
        "series": _series(starts, by_slot, current, now),
        "totals": {
            **_traffic(whole, WINDOW_S),
            "last_minute": _traffic(recent, recent_s),
        },
        "latency_ms": {
            "end_to_end": _percentiles_ms(whole.latency),
            "overhead": _percentiles_ms(whole.overhead),
            "time_to_first_token": _percentiles_ms(whole.ttft),
        },
        "streams": dict(sorted(whole.streams.items())),
        "cache": _cache(whole),
        "models": _usage_rows(whole.models, "model"),
        "keys": _usage_rows(whole.keys, "id"),
        "rate_limited": {
            kind: whole.rate_limited.get(kind, 0) for kind in ("requests", "tokens", "budget")
        },
        "routing": {"retries": whole.retries, "fallbacks": whole.fallbacks, "hedges": whole.hedges},
        "deployments": _deployments(whole),
    }


def _series(starts: list[int], by_slot: dict[int, Slot], current: int, now: float) -> dict:
    empty = Slot()
    slots = [by_slot.get(start, empty) for start in starts]
    seconds = [SLOT_S if start < current else max(now - current, 1.0) for start in starts]
    p50, p99 = [], []
    for slot in slots:
        low, high = log_histogram.quantiles(slot.latency, (0.5, 0.99))
        p50.append(_ms(low))
        p99.append(_ms(high))
    return {
        "start": starts,
        "requests": [slot.requests for slot in slots],
        "errors": [slot.errors for slot in slots],
        "client_errors": [slot.client_errors for slot in slots],
        "rate_limited": [sum(slot.rate_limited.values()) for slot in slots],
        "rps": [round(slot.requests / s, 3) for slot, s in zip(slots, seconds, strict=True)],
        "error_rate": [_ratio(slot.errors, slot.requests) for slot in slots],
        "latency_p50_ms": p50,
        "latency_p99_ms": p99,
    }


def _traffic(slot: Slot, seconds: float) -> dict[str, Any]:
    return {
        "requests": slot.requests,
        "errors": slot.errors,
        "client_errors": slot.client_errors,
        "rps": round(slot.requests / seconds, 3),
        "error_rate": _ratio(slot.errors, slot.requests),
    }


def _percentiles_ms(counts: dict[int, int]) -> dict[str, Any]:
    values = log_histogram.quantiles(counts, PERCENTILES)
    named = {f"p{round(q * 100)}": _ms(value) for q, value in zip(PERCENTILES, values, strict=True)}
    return {"count": sum(counts.values()), **named}


def _cache(slot: Slot) -> dict[str, Any]:
    lookups = sum(count for result, count in slot.cache.items() if result != "bypass")
    hits = {result: slot.cache.get(result, 0) for result in CACHE_HITS}
    return {
        "lookups": lookups,
        "misses": slot.cache.get("miss", 0),
        "bypassed": slot.cache.get("bypass", 0),
        "hits": hits,
        "hit_rate": _ratio(sum(hits.values()), lookups),
        "hit_rate_by_tier": {result: _ratio(count, lookups) for result, count in hits.items()},
        "similarity": {
            "floor": SIMILARITY_FLOOR,
            "step": SIMILARITY_STEP,
            "counts": slot.similarity if len(slot.similarity) == SIMILARITY_BINS else [],
        },
    }


def _usage_rows(rows: dict[str, list], name: str) -> list[dict[str, Any]]:
    table = [
        {
            name: label,
            "requests": requests,
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "cost_usd": round(cost, 6),
        }
        for label, (requests, prompt, completion, cost) in rows.items()
    ]
    return sorted(table, key=lambda row: (-row["cost_usd"], -row["requests"], row[name]))


def _deployments(slot: Slot) -> list[dict[str, Any]]:
    rows = []
    for deployment, (attempts, failed, latency) in sorted(slot.deployments.items()):
        p50, p99 = log_histogram.quantiles(latency, (0.5, 0.99))
        rows.append(
            {
                "id": deployment,
                "attempts": attempts,
                "failed": failed,
                "error_rate": _ratio(failed, attempts),
                "attempt_p50_ms": _ms(p50),
                "attempt_p99_ms": _ms(p99),
            }
        )
    return rows


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)
