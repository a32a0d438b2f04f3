"""Redis stopped mid-test: L2 fails with L2Unavailable, then heals when Redis is back."""

from __future__ import annotations

import time

import pytest

import tests.infra.redis_stack as redis_stack_module
from ferrogate.cache.entry import CachedAnswer
from ferrogate.cache.l2 import L2Store, L2Unavailable, connect
from tests.cache.l2.conftest import DIM, unit
from tests.infra.redis_stack import RedisStack

pytestmark = pytest.mark.anyio


def answer(text: str) -> CachedAnswer:
    return CachedAnswer(prompt=text, body=b"{}", expires_at=time.time() + 3600)


async def test_l2_is_unavailable_while_redis_is_down_and_works_again_after(monkeypatch):
    server = RedisStack().start()
    client = connect(server.url)
    try:
        l2 = L2Store(client, DIM)
        await l2.store("ns|ctx", "ns", unit(1), answer("before"), 3600)
        port = server.port
        server.stop()

        with pytest.raises(L2Unavailable):
            await l2.lookup("ns|ctx", unit(1), threshold=0.9)
        with pytest.raises(L2Unavailable):
            await l2.store("ns|ctx", "ns", unit(2), answer("while down"), 3600)

        # A fresh, empty server on the same address, as after a restart without persistence.
        monkeypatch.setattr(redis_stack_module, "free_loopback_port", lambda: port)
        server = RedisStack().start()

        assert await l2.lookup("ns|ctx", unit(1), threshold=0.0) is None
        await l2.store("ns|ctx", "ns", unit(3), answer("after"), 3600)
        hit = await l2.lookup("ns|ctx", unit(3), threshold=0.99)
        assert hit.answer.prompt == "after"
    finally:
        await client.aclose()
        server.stop()
