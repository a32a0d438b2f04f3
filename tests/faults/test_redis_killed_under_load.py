"""Redis SIGKILLed under a steady stream of requests, then started again on the same port.

tests/access and tests/limits stop Redis between single requests; here clients keep
sending throughout (unmetered master-key requests that use the cache, and metered ones with
a virtual key), under each limits policy, and the gateway is never restarted. L1 holds one
entry, so a paraphrase of an older prompt can only be answered by L2 on Redis: a hit-l2
before the kill and again after the restart shows L2 working, then working again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import redis

from tests.access.keyed import MASTER_KEY, running_keyed_gateway
from tests.infra.redis_stack import RedisStack

OUTAGE_S = 3.0
RECOVERY_LIMIT_S = 15.0
NO_STORE = {"cache-control": "no-store"}
# (prompt, paraphrase) pairs the demo model and the local embedder match above 0.84.
BEFORE = ("How can I cancel my subscription?", "I want to stop my subscription, how do I do that?")
AFTER = (
    "How do I reset my password?",
    "I forgot my password, how can I reset it?",
)
LOAD_PROMPTS = [f"Tell me fact number {n} about rivers." for n in range(6)]


@dataclass(frozen=True)
class Sent:
    at: float  # monotonic, when it was sent
    took_s: float
    keyed: bool
    status: int
    cache: str | None
    code: str | None


@pytest.fixture
def redis_server() -> Iterator[RedisStack]:
    with RedisStack() as server:  # its own: killing it disturbs no other test
        yield server


def _chat(http: httpx.Client, key: str, prompt: str, headers=None) -> httpx.Response:
    body = {"model": "demo", "messages": [{"role": "user", "content": prompt}]}
    return http.post(
        "/v1/chat/completions",
        json=body,
        headers={"authorization": f"Bearer {key}", **(headers or {})},
    )


def _l2_hit_for(http: httpx.Client, pair: tuple[str, str]) -> bool:
    """Ask `pair`'s prompt, push it out of the one-entry L1 with another prompt, then wait
    for its paraphrase to be answered from L2."""
    prompt, paraphrase = pair
    assert _chat(http, MASTER_KEY, prompt).status_code == 200
    deadline = time.monotonic() + RECOVERY_LIMIT_S
    while time.monotonic() < deadline:
        _chat(http, MASTER_KEY, f"Something unrelated at {time.monotonic()}")  # evicts L1
        answer = _chat(http, MASTER_KEY, paraphrase, NO_STORE)
        if answer.headers.get("x-ferrogate-cache") == "hit-l2":
            return True
        time.sleep(0.2)
    return False


class SteadyLoad:
    """One client thread sending without pause: master-key and keyed requests in turn."""

    def __init__(self, url: str, virtual_key: str) -> None:
        self._url = url
        self._key = virtual_key
        self._stop = threading.Event()
        self.sent: list[Sent] = []
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SteadyLoad:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        with httpx.Client(base_url=self._url, timeout=10) as http:
            n = 0
            while not self._stop.is_set():
                keyed = n % 2 == 1
                prompt = LOAD_PROMPTS[n % len(LOAD_PROMPTS)]
                started = time.monotonic()
                answer = _chat(http, self._key if keyed else MASTER_KEY, prompt)
                code = answer.json()["error"]["code"] if answer.status_code >= 400 else None
                self.sent.append(
                    Sent(
                        started,
                        time.monotonic() - started,
                        keyed,
                        answer.status_code,
                        answer.headers.get("x-ferrogate-cache"),
                        code,
                    )
                )
                n += 1
                time.sleep(0.01)


def _bucket_keys(server: RedisStack, key_id: str) -> list[bytes]:
    with redis.Redis.from_url(server.url) as client:
        return client.keys(f"ferrogate:rl:{{{key_id}}}:*")


@pytest.mark.parametrize("policy", ["fail-closed", "fail-open"])
def test_redis_killed_under_load_skips_the_cache_follows_the_policy_and_recovers(
    tmp_path, redis_server, policy
):
    settings = {
        "keys": {"store": "sqlite"},  # the key store is not what this test takes away
        "limits": {"redis_policy": policy},
        "cache": {"enabled": True, "l1_capacity": 1},
    }
    with running_keyed_gateway(tmp_path, redis_url=redis_server.url, settings=settings) as gw:
        key = gw.create_key(rpm=100_000, tpm=100_000_000)["key"]
        # A small limit keeps its Redis bucket for a while (a key expires once its bucket
        # is full again): after the restart it shows the limiter writing to Redis again.
        probe = gw.create_key(rpm=5)
        assert _l2_hit_for(gw.http, BEFORE), "no L2 hit even before the outage"
        port = redis_server.port

        with SteadyLoad(gw.url, key) as load:
            time.sleep(1.0)
            redis_server.process.kill()  # SIGKILL: no goodbye to its clients
            redis_server.process.wait()
            killed_at = time.monotonic()
            time.sleep(OUTAGE_S)
            redis_server.stop()  # clears the dead process and its files
            redis_server.start(port)
            restarted_at = time.monotonic()
            recovered = _l2_hit_for(gw.http, AFTER)
            recovered_in_s = time.monotonic() - restarted_at
            keyed_ok_again = _until(lambda: _chat(gw.http, key, "hello").status_code == 200)
            # Fail-open keeps using local buckets for its back-off after the last failure,
            # however soon Redis is back: probe until one admission lands in Redis.
            probes: list[httpx.Response] = []

            def probe_reached_redis() -> bool:
                probes.append(_chat(gw.http, probe["key"], "hello"))
                return bool(_bucket_keys(redis_server, probe["id"]))

            limiter_back = _until(probe_reached_redis)

    during = [s for s in load.sent if killed_at < s.at and s.at + s.took_s < restarted_at]
    refused = sum(s.status == 503 for s in during)
    print(
        f"\n{policy}: {len(during)} requests during the {OUTAGE_S:g}s outage, {refused} 503s,"
        f" slowest {max(s.took_s for s in during) * 1000:.0f} ms;"
        f" L2 hit again {recovered_in_s:.1f}s after the restart"
    )
    assert len(during) > 20, "the load kept coming during the outage"
    assert {s.status for s in load.sent} <= {200, 503}, "no 5xx but the policy's 503"
    assert all(s.keyed and s.code == "service_unavailable" for s in load.sent if s.status == 503)
    if policy == "fail-closed":
        assert any(s.status == 503 for s in during if s.keyed), "metered calls were let through"
    else:
        assert refused == 0, "fail-open kept metered calls going under local limits"
    assert all(s.status == 200 for s in during if not s.keyed), "unmetered calls kept flowing"
    assert not any(s.cache == "hit-l2" for s in during), "L2 answered while Redis was dead"
    assert max(s.took_s for s in during) < 2.0, "a request hung on the dead Redis"

    assert recovered, f"no L2 hit within {RECOVERY_LIMIT_S}s of Redis coming back"
    assert keyed_ok_again, "metered calls did not recover"
    assert limiter_back, "the limiter never wrote to the new Redis"
    # The new Redis starts the probe key's bucket afresh: 5 a minute, one taken.
    assert probes[-1].status_code == 200
    assert probes[-1].headers["x-ratelimit-remaining-requests"] == "4"


def _until(check, within_s: float = RECOVERY_LIMIT_S) -> bool:
    deadline = time.monotonic() + within_s
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
