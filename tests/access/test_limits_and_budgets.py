"""Per-key limits and budgets as a client sees them: OpenAI's headers, 429s, settled spend."""

from __future__ import annotations

import json

import pytest

from tests.access.keyed import running_keyed_gateway

# One dollar per token makes spend easy to read off usage.
DOLLAR_A_TOKEN = {"demo": {"input_per_mtok": 1_000_000.0, "output_per_mtok": 1_000_000.0}}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    settings = {"prices": DOLLAR_A_TOKEN, "limits": {"expected_output_tokens": 5}}
    with running_keyed_gateway(tmp_path_factory.mktemp("limits"), settings=settings) as gateway:
        yield gateway


def test_requests_per_minute_run_out_with_openai_headers(gateway):
    key = gateway.create_key(rpm=3)["key"]
    remaining = []
    for _ in range(3):
        answer = gateway.chat(key)
        assert answer.status_code == 200
        assert answer.headers["x-ratelimit-limit-requests"] == "3"
        remaining.append(answer.headers["x-ratelimit-remaining-requests"])
        assert answer.headers["x-ratelimit-reset-requests"]
    assert remaining == ["2", "1", "0"]
    refused = gateway.chat(key)
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "rate_limit_exceeded" and error["type"] == "requests"
    assert "requests per minute" in error["message"]
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["x-ratelimit-remaining-requests"] == "0"


def test_tokens_are_reserved_then_settled_to_real_usage(gateway):
    created = gateway.create_key(tpm=10_000)
    answer = gateway.chat(created["key"], max_tokens=4_000)
    assert answer.status_code == 200
    used = answer.json()["usage"]["total_tokens"]
    # At admission the reservation counted max_tokens...
    assert int(answer.headers["x-ratelimit-remaining-tokens"]) <= 10_000 - 4_000
    # ...and once settled only the real usage stays taken (refill only adds).
    view = gateway.key_view(
        created["id"], until=lambda v: v["usage"]["tokens_remaining"] >= 10_000 - used - 1
    )
    assert view["usage"]["tokens_remaining"] >= 10_000 - used - 1


def test_a_request_larger_than_the_token_limit_can_never_pass(gateway):
    key = gateway.create_key(tpm=1_000)["key"]
    refused = gateway.chat(key, max_tokens=5_000)
    assert refused.status_code == 429
    assert refused.json()["error"]["type"] == "tokens"
    assert "retry-after" not in refused.headers


def test_budget_is_charged_from_usage_and_then_refuses(gateway):
    created = gateway.create_key(max_budget_usd=150.0, budget_period="30d")
    spent = 0.0
    while True:
        answer = gateway.chat(created["key"], "what is the capital of France?", max_tokens=5)
        if answer.status_code != 200:
            break
        usage = answer.json()["usage"]
        spent += usage["prompt_tokens"] + usage["completion_tokens"]
        assert spent < 1_000, "the budget never tripped"
    assert answer.status_code == 429
    error = answer.json()["error"]
    assert error["code"] == "insufficient_quota" and error["type"] == "insufficient_quota"
    view = gateway.key_view(created["id"], until=lambda v: v["spend_usd"] == pytest.approx(spent))
    assert view["spend_usd"] == pytest.approx(spent)


def test_a_stream_that_outruns_its_hold_is_finished_and_charged(gateway):
    # expected_output_tokens is 5, so the hold is small; the demo answer is longer.
    created = gateway.create_key(max_budget_usd=30.0)
    body = {
        "model": "demo",
        "messages": [{"role": "user", "content": "tell me a story"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    headers = {"authorization": f"Bearer {created['key']}"}
    with gateway.http.stream("POST", "/v1/chat/completions", json=body, headers=headers) as s:
        assert s.status_code == 200
        text = s.read().decode()
    assert text.rstrip().endswith("data: [DONE]")
    usage_line = [line for line in text.splitlines() if '"usage":{' in line][-1]

    usage = json.loads(usage_line.removeprefix("data: "))["usage"]
    view = gateway.admin("GET", f"/keys/{created['id']}").json()
    assert view["spend_usd"] == pytest.approx(usage["total_tokens"])
    assert view["spend_usd"] > 30.0
    assert gateway.chat(created["key"]).status_code == 429
