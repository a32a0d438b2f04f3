import pytest

from ferrogate.config.schema import KeysConfig, LimitsConfig
from ferrogate.spend import LocalSpendLedger, RedisSpendLedger, open_ledger

pytestmark = pytest.mark.anyio


async def test_without_redis_spend_lives_in_a_file_beside_the_keys(tmp_path):
    keys = KeysConfig(sqlite_path=str(tmp_path / "keys.sqlite3"))
    ledger = open_ledger(keys, LimitsConfig(), None)
    try:
        assert isinstance(ledger, LocalSpendLedger)
        ledger.settle(await ledger.hold("k1", 1.0, None, 0.5), 0.5)
    finally:
        await ledger.aclose()
    assert (tmp_path / "keys-spend.sqlite3").exists()


async def test_with_redis_spend_is_shared_through_redis(tmp_path, redis_stack_url, redis_client):
    keys = KeysConfig(sqlite_path=str(tmp_path / "keys.sqlite3"))
    ledger = open_ledger(keys, LimitsConfig(redis_policy="fail-closed"), redis_stack_url)
    try:
        assert isinstance(ledger, RedisSpendLedger)
        ledger.settle(await ledger.hold("k1", 1.0, None, 0.5), 0.5)
    finally:
        await ledger.aclose()
    assert redis_client.exists("ferrogate:spend:{k1}:lifetime")
