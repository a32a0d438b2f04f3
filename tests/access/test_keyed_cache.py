"""The cache under virtual keys: each key's own namespace by default, shared ones by name,
and a namespace flushed through the admin API."""

from __future__ import annotations

import time

import pytest

from tests.access.keyed import running_keyed_gateway

CACHE = {"cache": {"enabled": True}}
FILL_WAIT_S = 5.0  # fills run after the answer, off the request path


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    with running_keyed_gateway(tmp_path_factory.mktemp("cache"), settings=CACHE) as gateway:
        yield gateway


def _cached(gateway, key: str, prompt: str, namespace: str | None = None) -> str:
    """The cache outcome of `prompt`, once the previous answer's fill has had time to land."""
    headers = {"authorization": f"Bearer {key}"}
    if namespace is not None:
        headers["x-ferrogate-cache-namespace"] = namespace
    body = {"model": "demo", "messages": [{"role": "user", "content": prompt}]}
    answer = gateway.http.post("/v1/chat/completions", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.headers["x-ferrogate-cache"]


def _eventually_hit(gateway, key: str, prompt: str, namespace: str | None = None) -> str:
    deadline = time.monotonic() + FILL_WAIT_S
    # An L1 hit can come first: the fill writes the exact tier a moment after L1.
    while (state := _cached(gateway, key, prompt, namespace)) != "hit-exact":
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return state


def test_keys_do_not_share_answers_unless_they_name_a_namespace(gateway):
    one, two = gateway.create_key()["key"], gateway.create_key()["key"]
    assert _cached(gateway, one, "what is the boiling point of water?") == "miss"
    assert _eventually_hit(gateway, one, "what is the boiling point of water?") == "hit-exact"
    assert _cached(gateway, two, "what is the boiling point of water?") == "miss"

    assert _cached(gateway, one, "name three primary colours", "team-a") == "miss"
    assert _eventually_hit(gateway, two, "name three primary colours", "team-a") == "hit-exact"


def test_a_key_cannot_read_another_keys_namespace(gateway):
    key = gateway.create_key()["key"]
    body = {"model": "demo", "messages": [{"role": "user", "content": "hi"}]}
    headers = {"authorization": f"Bearer {key}", "x-ferrogate-cache-namespace": "key:someone"}
    answer = gateway.http.post("/v1/chat/completions", json=body, headers=headers)
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == "x-ferrogate-cache-namespace"


def test_the_admin_api_flushes_a_namespace(gateway):
    key = gateway.create_key()["key"]
    assert _cached(gateway, key, "how far away is the moon?", "flush-me") == "miss"
    assert _eventually_hit(gateway, key, "how far away is the moon?", "flush-me") == "hit-exact"

    flushed = gateway.admin("DELETE", "/cache/flush-me")
    assert flushed.status_code == 200
    assert flushed.json()["removed"]["exact"] >= 1

    assert _cached(gateway, key, "how far away is the moon?", "flush-me") == "miss"
    assert gateway.http.delete("/admin/cache/flush-me").status_code == 401
