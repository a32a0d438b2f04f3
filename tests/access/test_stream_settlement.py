"""Streams settle what they produced: completed, cut by the upstream, or left by the client."""

from __future__ import annotations

import json

import pytest

from tests.access.keyed import running_keyed_gateway
from tests.support.gateway_stack import running_mock
from tests.support.leaving_client import leave_a_stream

DOLLAR_A_TOKEN = {"input_per_mtok": 1_000_000.0, "output_per_mtok": 1_000_000.0}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    with running_mock() as mock_url:
        models = {
            "slow-demo": {"provider": "demo", "model": "demo", "chunk_delay_ms": 150},
            "gpt-4o": {"provider": "openai", "model": "gpt-4o", "base_url": f"{mock_url}/v1"},
        }
        settings = {"prices": {"demo": DOLLAR_A_TOKEN, "gpt-4o": DOLLAR_A_TOKEN}}
        with running_keyed_gateway(
            tmp_path_factory.mktemp("streams"), models=models, settings=settings
        ) as gateway:
            yield gateway


def _stream(gateway, key: str, model: str, content: str, **extra) -> str:
    body = {"model": model, "messages": [{"role": "user", "content": content}], "stream": True}
    headers = {"authorization": f"Bearer {key}"}
    with gateway.http.stream(
        "POST", "/v1/chat/completions", json={**body, **extra}, headers=headers
    ) as s:
        assert s.status_code == 200
        return s.read().decode()


def test_a_completed_stream_is_charged_its_reported_usage(gateway):
    created = gateway.create_key(tpm=100_000)
    text = _stream(
        gateway, created["key"], "gpt-4o", "hello there", stream_options={"include_usage": True}
    )
    assert text.rstrip().endswith("[DONE]")
    usage_event = [line for line in text.splitlines() if '"usage":{' in line][-1]
    usage = json.loads(usage_event.removeprefix("data: "))["usage"]
    view = gateway.admin("GET", f"/keys/{created['id']}").json()  # settled before [DONE]
    assert view["spend_usd"] == pytest.approx(usage["total_tokens"])


def test_a_stream_cut_by_the_upstream_is_charged_what_was_sent(gateway):
    created = gateway.create_key()
    text = _stream(gateway, created["key"], "gpt-4o", "[midstream-error] tell me more")
    events = [line for line in text.splitlines() if line.startswith("data: {")]
    assert '"error"' in events[-1]  # the stream said it failed; it did not end cleanly
    view = gateway.key_view(created["id"], until=lambda v: v["spend_usd"] > 0)
    # Prompt tokens counted at admission plus the words that reached the client.
    assert 0 < view["spend_usd"] < 200


def test_a_client_that_leaves_is_charged_for_what_was_produced(gateway):
    prompt = "write a long story about a lighthouse"
    whole = gateway.create_key()
    _stream(gateway, whole["key"], "slow-demo", prompt)
    whole_cost = gateway.key_view(whole["id"])["spend_usd"]

    leaver = gateway.create_key()
    body = {"model": "slow-demo", "messages": [{"role": "user", "content": prompt}], "stream": True}
    headers = {"authorization": f"Bearer {leaver['key']}"}
    leave_a_stream(gateway.url, body, after_events=4, headers=headers)
    # Closed after a few words of a 26-word answer: charged the prompt and those words.
    view = gateway.key_view(leaver["id"], until=lambda v: v["spend_usd"] > 0)
    assert 0 < view["spend_usd"] < 0.8 * whole_cost
