"""Redis stopped under a keyed gateway, then started again on the same port.

fail-open keeps answering keys it has verified under this instance's own limits;
fail-closed answers 503 for metered requests. Both recover without a restart.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.access.keyed import running_keyed_gateway
from tests.infra.redis_stack import RedisStack


@pytest.fixture
def redis_server() -> Iterator[RedisStack]:
    with RedisStack() as server:  # its own: stopping it disturbs no other test
        yield server


def _until(call, done, within_s: float = 15.0):
    """Outages are noticed at the next store call (leases and spend are written behind)."""
    deadline = time.monotonic() + within_s
    while True:
        answer = call()
        if done(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


def _until_ok(call, within_s: float = 15.0):
    return _until(call, lambda answer: answer.status_code < 300, within_s)


def test_fail_open_keeps_known_keys_working_and_recovers(tmp_path, redis_server):
    settings = {"limits": {"redis_policy": "fail-open"}}
    with running_keyed_gateway(tmp_path, redis_url=redis_server.url, settings=settings) as gw:
        key = gw.create_key(rpm=100, tpm=1_000_000, max_budget_usd=100.0)["key"]
        assert gw.chat(key).status_code == 200
        port = redis_server.port
        redis_server.stop()

        for _ in range(5):  # spread over the time the ledger and limiter take to notice
            during = gw.chat(key)
            assert during.status_code == 200
            assert during.headers["x-ratelimit-limit-requests"] == "100"
            time.sleep(0.1)
        refused = gw.admin("POST", "/keys", {})  # the key store itself is down
        assert refused.status_code == 503

        redis_server.start(port)
        assert _until_ok(lambda: gw.admin("POST", "/keys", {})).status_code == 201
        assert gw.chat(key).status_code == 200
        logs = gw.logs()
    assert "unreachable, policy fail-open" in logs  # the degraded state is said, not hidden


def test_fail_closed_answers_503_then_recovers(tmp_path, redis_server):
    settings = {"limits": {"redis_policy": "fail-closed"}}
    with running_keyed_gateway(tmp_path, redis_url=redis_server.url, settings=settings) as gw:
        key = gw.create_key(rpm=100, max_budget_usd=100.0)["key"]
        assert gw.chat(key).status_code == 200
        port = redis_server.port
        redis_server.stop()

        during = _until(lambda: gw.chat(key), lambda answer: answer.status_code != 200, 5.0)
        assert during.status_code == 503
        assert during.json()["error"]["code"] == "service_unavailable"
        assert gw.http.get("/health").status_code == 200

        redis_server.start(port)
        assert _until_ok(lambda: gw.chat(key)).status_code == 200
