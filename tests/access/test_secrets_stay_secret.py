"""After creation, no secret or full key appears in logs, answers or storage."""

from __future__ import annotations

import pytest

from tests.access.keyed import MASTER_KEY, running_keyed_gateway


def _every_redis_value(client) -> bytes:
    seen = []
    for name in client.scan_iter(count=1000):
        seen.append(name)
        kind = client.type(name)
        if kind == b"string":
            seen.append(client.get(name))
        elif kind == b"hash":
            seen.extend(b"%s=%s" % pair for pair in client.hgetall(name).items())
        elif kind == b"set":
            seen.extend(client.smembers(name))
        elif kind == b"zset":
            seen.extend(member for member, _ in client.zrange(name, 0, -1, withscores=True))
        elif kind == b"list":
            seen.extend(client.lrange(name, 0, -1))
    return b"\n".join(seen)


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_secrets_never_leave_the_creation_answer(store, tmp_path, request):
    redis_url = request.getfixturevalue("redis_stack_url") if store == "redis" else None
    client = request.getfixturevalue("redis_client") if store == "redis" else None
    with running_keyed_gateway(tmp_path, redis_url=redis_url, log_level="debug") as gateway:
        created = gateway.create_key(rpm=100, tpm=100_000, max_budget_usd=5.0)
        key = created["key"]
        secret = key.rsplit("-", 1)[1]
        answers = [
            gateway.chat(key),
            gateway.chat(key[:-4] + "AAAA"),  # right id, wrong secret
            gateway.chat("fg-" + "a" * 12 + "-" + secret),  # someone else's id
            gateway.admin("GET", "/keys"),
            gateway.admin("GET", f"/keys/{created['id']}"),
            gateway.admin("PATCH", f"/keys/{created['id']}", {"rpm": 7}),
        ]
        rotated = gateway.admin("POST", f"/keys/{created['id']}/rotate").json()["key"]
        answers.append(gateway.chat(rotated))
        logs = gateway.logs()
    rotated_secret = rotated.rsplit("-", 1)[1]
    for text in [*(a.text + str(a.headers) for a in answers), logs]:
        for secret_text in (secret, rotated_secret, MASTER_KEY):
            assert secret_text not in text
    if client is not None:
        stored = _every_redis_value(client)
    else:
        stored = b"".join(path.read_bytes() for path in tmp_path.glob("*.sqlite3*"))
    assert stored, "the store holds the key"
    assert created["id"].encode() in stored
    for secret_text in (secret, rotated_secret, MASTER_KEY):
        assert secret_text.encode() not in stored
