"""GET /admin/stats: the last fifteen minutes from every worker, with the live state that is
not traffic (breakers, latency estimates, spend against budgets) beside it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

from ..http import Response

if TYPE_CHECKING:
    from ferrogate.routing import ModelRegistry
    from ferrogate.stats import StatsRecorder

    from .keys_routes import KeysAdmin

# Budget bars: enough for an operator's page; the keys API lists them all.
MAX_KEYS = 100
# One summary serves every dashboard open within this long: summing four workers' full
# windows takes ~17 ms on the event loop (bench/dashboard_stats.py), which ten open tabs
# should not take ten times.
REUSE_S = 1.0


class StatsRoute:
    def __init__(
        self,
        recorder: StatsRecorder,
        registry: ModelRegistry,
        keys: KeysAdmin | None,
        clock: Callable[[], float] = time.time,
        catch_up: Callable[[], None] = lambda: None,
    ):
        self._recorder = recorder
        self._catch_up = catch_up  # hands the records still held to the recorder
        self._registry = registry
        self._keys = keys
        self._clock = clock
        self._last: tuple[float, bytes] | None = None

    async def __call__(self) -> Response:
        now = self._clock()
        if self._last is None or now - self._last[0] >= REUSE_S:
            self._last = (now, await self._body(now))
        headers = [("content-type", "application/json"), ("cache-control", "no-store")]
        return Response(200, headers, self._last[1])

    async def _body(self, now: float) -> bytes:
        from ferrogate.stats import summarize

        self._catch_up()
        boards, reachable = await self._recorder.every_worker()
        body = summarize(boards, now)
        body["generated_at"] = round(now, 3)
        body["sources"] = {
            "board": self._recorder.board.name,
            "reachable": reachable,
            "workers": sum(1 for slots in boards.values() if slots),
        }
        body["deployments"] = _with_traffic(self._registry.deployment_states(), body["deployments"])
        body["keys"] = await self._keys_with_budgets(body["keys"])
        return orjson.dumps(body)

    async def _keys_with_budgets(self, usage: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if self._keys is None:
            return usage[:MAX_KEYS]
        from ferrogate.keys.store import StoreUnavailable

        active = {row["id"] for row in usage[:MAX_KEYS]}
        try:
            budgets = await self._keys.budgets(active, MAX_KEYS)
        except StoreUnavailable:
            budgets = []  # the traffic figures still stand; bars come back with the store
        by_id = {row["id"]: {**row} for row in usage[:MAX_KEYS]}
        for row in budgets:
            by_id.setdefault(row["id"], {"id": row["id"], **_NO_USAGE}).update(row)
        return sorted(
            by_id.values(), key=lambda row: (-row["cost_usd"], -row["requests"], row["id"])
        )


_NO_USAGE = {"requests": 0, "prompt_tokens": 0, "completion_tokens": 0, "cost_usd": 0.0}


def _with_traffic(states: list[dict[str, Any]], traffic: list[dict[str, Any]]) -> list[dict]:
    """Each configured deployment's state beside its attempts in the window."""
    attempts = {row["id"]: row for row in traffic}
    quiet = {"attempts": 0, "failed": 0, "error_rate": None, "attempt_p50_ms": None,
             "attempt_p99_ms": None}  # fmt: skip
    rows = []
    for state in states:
        row = attempts.get(state["id"], quiet)
        rows.append({**state, **{name: value for name, value in row.items() if name != "id"}})
    return rows
