from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from ferrogate.limits.admission import Limiter
from ferrogate.limits.local import LocalLimiter
from ferrogate.limits.open_limiter import connect
from ferrogate.limits.redis_limiter import RedisLimiter


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["local", "redis", "redis-leases"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[Limiter]:
    """Each back end; ``redis-leases`` leases a tenth of a limit so leases are in play."""
    if request.param == "local":
        limiter: Limiter = LocalLimiter()
    else:
        request.getfixturevalue("redis_client")  # an empty database
        url = request.getfixturevalue("redis_stack_url")
        fraction = 0.1 if request.param == "redis-leases" else 0.0
        limiter = RedisLimiter(connect(url), lease_fraction=fraction, plenty_leases=2)
    yield limiter
    await limiter.aclose()
