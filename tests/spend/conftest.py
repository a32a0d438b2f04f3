from __future__ import annotations

import pytest

from ferrogate.spend import LocalSpendLedger, RedisSpendLedger

# Start of a 60 s period, so tests can step through periods by whole minutes.
T0 = 1_800_000_000.0


class FakeClock:
    def __init__(self, now: float = T0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["local", "redis"])
async def ledger(request, tmp_path, clock):
    """Each ledger on an empty store: a fresh SQLite file, or a flushed Redis."""
    local = LocalSpendLedger(tmp_path / "spend.sqlite3", clock=clock)
    if request.param == "local":
        chosen = local
    else:
        request.getfixturevalue("redis_client")  # flushes the database
        url = request.getfixturevalue("redis_stack_url")
        chosen = RedisSpendLedger(url, fallback=local, clock=clock)
    yield chosen
    await chosen.aclose()


@pytest.fixture(params=["local", "redis"])
async def two_ledgers(request, tmp_path, clock):
    """Two ledgers on one store, as two processes (or instances) would have."""
    path = tmp_path / "spend.sqlite3"
    if request.param == "redis":
        request.getfixturevalue("redis_client")
        url = request.getfixturevalue("redis_stack_url")

    def one(fallback_name: str):
        where = path if request.param == "local" else tmp_path / fallback_name
        local = LocalSpendLedger(where, clock=clock)
        if request.param == "local":
            return local
        return RedisSpendLedger(url, fallback=local, clock=clock)

    pair = (one("a.sqlite3"), one("b.sqlite3"))
    yield pair
    for ledger in pair:
        await ledger.aclose()
