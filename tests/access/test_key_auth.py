"""What clients see with a master key set: keys required, models filtered, open health."""

from __future__ import annotations

import pytest

from tests.access.keyed import MASTER_KEY, running_keyed_gateway


@pytest.fixture(scope="module", params=["granian", "robyn"])
def gateway(request, tmp_path_factory):
    models = {
        "demo": {"provider": "demo", "model": "demo"},
        "demo-2": {"provider": "demo", "model": "demo"},
    }
    with running_keyed_gateway(
        tmp_path_factory.mktemp("keys"), models=models, server=request.param
    ) as gateway:
        yield gateway


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": "Bearer fg-aaaaaaaaaaaa-" + "x" * 43},
        {"authorization": "Bearer nope"},
        {"authorization": "Basic abc"},
    ],
)
def test_requests_without_a_valid_key_get_401(gateway, headers):
    body = {"model": "demo", "messages": [{"role": "user", "content": "hi"}]}
    answer = gateway.http.post("/v1/chat/completions", json=body, headers=headers)
    assert answer.status_code == 401
    error = answer.json()["error"]
    assert error["code"] == "invalid_api_key" and error["type"] == "invalid_request_error"
    assert answer.headers["x-request-id"]


def test_a_key_sees_and_uses_only_its_models(gateway):
    key = gateway.create_key(models=["demo-2"])["key"]
    listed = gateway.http.get("/v1/models", headers={"authorization": f"Bearer {key}"})
    assert [m["id"] for m in listed.json()["data"]] == ["demo-2"]
    assert gateway.chat(key, model="demo-2").status_code == 200
    refused = gateway.chat(key, model="demo")
    assert refused.status_code == 403
    assert refused.json()["error"]["param"] == "model"


def test_the_master_key_may_call_every_model(gateway):
    assert gateway.chat(MASTER_KEY, model="demo").status_code == 200
    listed = gateway.http.get("/v1/models", headers={"authorization": f"Bearer {MASTER_KEY}"})
    assert {m["id"] for m in listed.json()["data"]} == {"demo", "demo-2"}


def test_health_and_ready_need_no_key(gateway):
    assert gateway.http.get("/health").status_code == 200
    assert gateway.http.get("/ready").status_code == 200


def test_embeddings_need_a_key_too(gateway):
    answer = gateway.http.post("/v1/embeddings", json={"model": "demo", "input": "x"})
    assert answer.status_code == 401
