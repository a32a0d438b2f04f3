"""/admin/stats reuses one summary for a second: ten open dashboards cost what one does."""

from __future__ import annotations

import time

import orjson
import pytest

from ferrogate.config import parse_config
from ferrogate.gateway.admin.stats_route import REUSE_S, StatsRoute
from ferrogate.routing import ModelRegistry
from ferrogate.stats import StatsRecorder
from ferrogate.telemetry.record import RequestRecord

pytestmark = pytest.mark.anyio
CONFIG = "models: [{name: demo, deployments: [{provider: demo, model: demo}]}]\n"


@pytest.fixture
def anyio_backend():
    return "asyncio"


async def test_a_summary_is_reused_within_a_second_and_then_made_again():
    now = [time.time()]
    recorder = StatsRecorder(known_models=["demo"])
    registry = ModelRegistry.from_config(parse_config(CONFIG, "test", {}))
    route = StatsRoute(recorder, registry, None, clock=lambda: now[0])

    def served() -> None:
        recorder.observe(RequestRecord("r", "chat", time.time(), model="demo", status=200))

    async def requests_seen() -> int:
        return orjson.loads((await route()).body)["totals"]["requests"]

    try:
        served()
        assert await requests_seen() == 1
        served()
        now[0] += REUSE_S / 2
        assert await requests_seen() == 1  # the same summary
        now[0] += REUSE_S
        assert await requests_seen() == 2
    finally:
        await registry.aclose()
        await recorder.aclose()
