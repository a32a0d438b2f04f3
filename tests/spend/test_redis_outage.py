"""Redis stopped under the spend ledger: each policy, then recovery without a restart."""

import logging

import pytest
import redis

import tests.infra.redis_stack as redis_stack_module
from ferrogate.errors import BudgetExceeded, ServiceUnavailable
from ferrogate.spend import LocalSpendLedger, RedisSpendLedger
from tests.infra.redis_stack import RedisStack

pytestmark = pytest.mark.anyio

MINUTE = 60.0


@pytest.fixture
def server():
    running = RedisStack().start()
    yield running
    running.stop()


def ledger_on(server, tmp_path, clock, policy) -> RedisSpendLedger:
    local = LocalSpendLedger(tmp_path / "spend.sqlite3", clock=clock)
    return RedisSpendLedger(server.url, fallback=local, policy=policy, clock=clock)


async def test_fail_open_holds_locally_logs_once_and_catches_redis_up_later(
    server, tmp_path, clock, monkeypatch, caplog
):
    ledger = ledger_on(server, tmp_path, clock, "fail-open")
    try:
        ledger.settle(await ledger.hold("k1", 1.00, MINUTE, 0.10), 0.10)
        running = await ledger.hold("k1", 1.00, MINUTE, 0.10)
        port = server.port
        server.stop()

        with caplog.at_level(logging.WARNING, logger="ferrogate.spend"):
            during = await ledger.hold("k1", 1.00, MINUTE, 0.50)
            with pytest.raises(BudgetExceeded):  # the local ledger still enforces the budget
                await ledger.hold("k1", 1.00, MINUTE, 0.60)
            ledger.settle(during, 0.50)
            ledger.settle(running, 0.20)  # a Redis hold settled while Redis is down
            assert await ledger.spent("k1", MINUTE) == pytest.approx(0.50)
        warnings = [r for r in caplog.records if r.name == "ferrogate.spend"]
        assert len(warnings) == 1
        assert "fail-open" in warnings[0].getMessage()

        monkeypatch.setattr(redis_stack_module, "free_loopback_port", lambda: port)
        server.start()
        # The restarted Redis is empty; the spend queued during the outage is replayed.
        await ledger.hold("k1", 1.00, MINUTE, 0.0)
        assert await ledger.spent("k1", MINUTE) == pytest.approx(0.70)
    finally:
        await ledger.aclose()


async def test_fail_closed_refuses_while_redis_is_down_and_recovers(
    server, tmp_path, clock, monkeypatch
):
    ledger = ledger_on(server, tmp_path, clock, "fail-closed")
    try:
        await ledger.hold("k1", 1.00, MINUTE, 0.10)
        port = server.port
        server.stop()

        with pytest.raises(ServiceUnavailable) as refused:
            await ledger.hold("k1", 1.00, MINUTE, 0.10)
        assert refused.value.status == 503
        # Keys without a budget need no check, so they keep working.
        unbudgeted = await ledger.hold("k2", None, MINUTE, 0.10)
        ledger.settle(unbudgeted, 0.10)

        monkeypatch.setattr(redis_stack_module, "free_loopback_port", lambda: port)
        server.start()
        await ledger.hold("k1", 1.00, MINUTE, 0.10)
        assert await ledger.spent("k2", MINUTE) == pytest.approx(0.10)
    finally:
        await ledger.aclose()


async def test_period_totals_expire_after_the_period_and_lifetime_totals_do_not(
    server, tmp_path, clock
):
    ledger = ledger_on(server, tmp_path, clock, "fail-open")
    client = redis.Redis.from_url(server.url)
    try:
        ledger.settle(await ledger.hold("k1", 1.00, MINUTE, 0.10), 0.10)
        ledger.settle(await ledger.hold("k1", 1.00, None, 0.10), 0.10)
        await ledger.spent("k1", MINUTE)  # writes this ledger's spend first
        await ledger.spent("k1", None)
        period_key = f"ferrogate:spend:{{k1}}:{int(clock.now)}"
        assert 0 < client.ttl(period_key) <= MINUTE + 3600
        assert client.ttl("ferrogate:spend:{k1}:lifetime") == -1
        assert int(client.hget(period_key, "spent")) == 100_000  # micro-dollars
    finally:
        client.close()
        await ledger.aclose()


async def test_holds_far_from_the_budget_need_no_redis_and_their_spend_arrives_later(
    server, tmp_path, clock, monkeypatch
):
    local = LocalSpendLedger(tmp_path / "spend.sqlite3", clock=clock)
    # Totals stay fresh for a minute here, so only nearness to the budget sends holds to Redis.
    ledger = RedisSpendLedger(
        server.url, fallback=local, policy="fail-closed", clock=clock, stale_after_s=60.0
    )
    try:
        await ledger.spent("k1", MINUTE)  # the key's totals are known
        port = server.port
        server.stop()

        for _ in range(5):  # $0.001 each, well inside the $0.01 allowance of a $1.00 budget
            ledger.settle(await ledger.hold("k1", 1.00, MINUTE, 0.001), 0.001)
        with pytest.raises(ServiceUnavailable):  # past the allowance: Redis must decide
            await ledger.hold("k1", 1.00, MINUTE, 0.50)

        monkeypatch.setattr(redis_stack_module, "free_loopback_port", lambda: port)
        server.start()
        assert await ledger.spent("k1", MINUTE) == pytest.approx(0.005)
    finally:
        await ledger.aclose()
