"""Choose the spend ledger the deployment needs."""

from __future__ import annotations

from pathlib import Path

from ferrogate.config.schema import KeysConfig, LimitsConfig
from ferrogate.spend.ledger import SpendLedger
from ferrogate.spend.local_ledger import LocalSpendLedger


def open_ledger(
    keys_config: KeysConfig, limits_config: LimitsConfig, redis_url: str | None
) -> SpendLedger:
    """Redis whenever a Redis URL is set, as for limits: budgets must hold across instances.

    The SQLite file sits beside the key store's (`keys.sqlite3` -> `keys-spend.sqlite3`);
    with Redis it is the fail-open fallback and keeps what was spent during an outage.
    """
    local = LocalSpendLedger(spend_path(keys_config.sqlite_path))
    if redis_url is None:
        return local
    # Imported here: redis-py costs ~12 MiB of RSS in every process that imports it.
    from ferrogate.spend.redis_ledger import RedisSpendLedger

    return RedisSpendLedger(redis_url, fallback=local, policy=limits_config.redis_policy)


def spend_path(keys_path: str) -> str:
    if keys_path == ":memory:":
        return keys_path
    path = Path(keys_path)
    return str(path.with_name(f"{path.stem}-spend{path.suffix}"))
