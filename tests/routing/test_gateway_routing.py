"""Routing through a real gateway: fallbacks, retries and their headers, and no double charge."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.access.keyed import running_keyed_gateway
from tests.routing.mock_fleet import UPSTREAM_MODEL, Mock, running_mocks

DOLLAR_A_TOKEN = {"input_per_mtok": 1_000_000.0, "output_per_mtok": 1_000_000.0}


@pytest.fixture(scope="module")
def mocks() -> Iterator[list[Mock]]:
    with running_mocks(2) as mocks:
        yield mocks


@pytest.fixture(autouse=True)
def _fresh(mocks):
    for mock in mocks:
        mock.reset()


@pytest.fixture(scope="module")
def gateway(mocks, tmp_path_factory):
    def deployment(mock: Mock, name: str, **extra) -> dict:
        return {
            "provider": "openai",
            "model": UPSTREAM_MODEL,
            "base_url": f"{mock.url}/v1",
            "id": name,
            **extra,
        }

    models = {
        "pair": {"deployments": [deployment(mocks[0], "first"), deployment(mocks[1], "second")]},
        "solo": {"deployments": [deployment(mocks[0], "solo", max_retries=2)]},
        "primary": {
            "deployments": [deployment(mocks[0], "primary-only", max_retries=0)],
            "fallbacks": ["backup"],
        },
        "backup": {"deployments": [deployment(mocks[1], "backup-only")]},
        "capped": {
            "deployments": [deployment(mocks[0], "small", rpm=2), deployment(mocks[1], "big")]
        },
        "tiny": {"deployments": [deployment(mocks[0], "tiny-only", rpm=1)]},
    }
    settings = {
        "prices": {UPSTREAM_MODEL: DOLLAR_A_TOKEN},
        # Cooldowns are the unit tests' business; here one test's faults must not outlive it.
        "routing": {
            "retry_base_delay_s": 0.01,
            "retry_max_delay_s": 0.05,
            "failures_to_cool_down": 1000,
        },
    }
    with running_keyed_gateway(
        tmp_path_factory.mktemp("routing"), settings=settings, model_specs=models
    ) as gateway:
        yield gateway


def _chat(gateway, key: str, model: str, **extra) -> httpx.Response:
    return gateway.chat(key, "hello", model=model, **extra)


def test_a_failing_deployment_falls_back_and_says_so(gateway, mocks):
    key = gateway.create_key()["key"]
    mocks[0].faults(fault_rate=1.0, fault_status=503)
    answer = _chat(gateway, key, "pair")
    assert answer.status_code == 200
    assert answer.headers["x-ferrogate-deployment"] == "second"
    assert int(answer.headers["x-ferrogate-attempts"]) == 4  # 1 + 2 retries, then the other


def test_retries_are_charged_once(gateway, mocks):
    created = gateway.create_key(tpm=100_000)
    mocks[0].faults(fault_rate=0.5, fault_status=503, seed=7)
    answers = [_chat(gateway, created["key"], "solo") for _ in range(10)]
    served = [a for a in answers if a.status_code == 200]
    assert served and any(int(a.headers["x-ferrogate-attempts"]) > 1 for a in served)
    billed = sum(a.json()["usage"]["total_tokens"] for a in served)
    view = gateway.key_view(created["id"], until=lambda v: v["spend_usd"] >= billed)
    assert view["spend_usd"] == pytest.approx(billed)


def test_a_model_falls_back_to_another_model(gateway, mocks):
    key = gateway.create_key()["key"]
    mocks[0].faults(fault_rate=1.0, fault_status=500)
    answer = _chat(gateway, key, "primary")
    assert answer.status_code == 200
    assert answer.headers["x-ferrogate-deployment"] == "backup-only"


def test_a_client_error_is_not_retried(gateway, mocks):
    key = gateway.create_key()["key"]
    mocks[0].faults(fault_rate=1.0, fault_status=400)
    answer = _chat(gateway, key, "pair")
    assert answer.status_code == 400
    assert mocks[0].stats()["requests"] == 1 and mocks[1].stats()["requests"] == 0


def test_a_stream_cut_after_its_first_bytes_is_not_retried(gateway, mocks):
    key = gateway.create_key()["key"]
    mocks[0].faults(cut_after=3)
    body = {"model": "pair", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    headers = {"authorization": f"Bearer {key}"}
    with gateway.http.stream("POST", "/v1/chat/completions", json=body, headers=headers) as s:
        assert s.status_code == 200
        assert s.headers["x-ferrogate-deployment"] == "first"
        events = [line for line in s.iter_lines() if line.startswith("data: ")]
    assert "error" in json.loads(events[-1].removeprefix("data: "))
    assert mocks[1].stats()["requests"] == 0


def test_a_deployment_at_its_capacity_is_skipped(gateway, mocks):
    key = gateway.create_key()["key"]
    served = [_chat(gateway, key, "capped").headers["x-ferrogate-deployment"] for _ in range(5)]
    assert served == ["small", "small", "big", "big", "big"]


def test_no_deployment_with_room_is_a_429_with_retry_after(gateway, mocks):
    key = gateway.create_key()["key"]
    assert _chat(gateway, key, "tiny").status_code == 200
    refused = _chat(gateway, key, "tiny")
    assert refused.status_code == 429
    assert "capacity" in refused.json()["error"]["message"]
    assert int(refused.headers["retry-after"]) >= 1
