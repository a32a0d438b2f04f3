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
