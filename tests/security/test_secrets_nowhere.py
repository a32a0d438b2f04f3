"""No secret appears in the logs (DEBUG), answers, usage log or /metrics of a keyed gateway.

tests/access/test_secrets_stay_secret.py follows virtual keys through creation, rotation
and the store; this adds what the operator configures (upstream API keys, secret upstream
headers) and the places a leak would be read from outside: every error an upstream or the
gateway produces, the usage log, the access log and the Prometheus text.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest

from tests.access.keyed import MASTER_KEY, running_keyed_gateway
from tests.support.gateway_stack import running_mock
from tests.support.processes import free_port

UPSTREAM_KEY = "sk-upstream-" + secrets.token_hex(16)
GEMINI_KEY = "AIza" + secrets.token_hex(16)
HEADER_SECRET = "org-" + secrets.token_hex(16)


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    with running_mock() as url:
        yield url


def _deployments(mock_url: str) -> dict[str, dict]:
    closed = f"http://127.0.0.1:{free_port()}/v1"
    openai = {"provider": "openai", "model": "gpt-4o-mini", "api_key": UPSTREAM_KEY}
    return {
        "gpt": {**openai, "base_url": f"{mock_url}/v1", "headers": {"x-org": HEADER_SECRET}},
        "embed": {**openai, "model": "text-embedding-3-small", "base_url": f"{mock_url}/v1"},
        "gemini": {
            "provider": "gemini",
            "model": "gemini-2.5-flash",
            "base_url": f"{mock_url}/v1beta",
            "api_key": GEMINI_KEY,
        },
        "refused": {**openai, "base_url": closed, "max_retries": 0},
        "demo": {"provider": "demo", "model": "demo"},
        "keyless": {**openai, "api_key": ""},  # disabled, said at DEBUG: the level is on
    }


def _bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def _chat(gateway, key: str, model: str, content: str = "hi", **extra) -> httpx.Response:
    body = {"model": model, "messages": [{"role": "user", "content": content}], **extra}
    return gateway.http.post("/v1/chat/completions", json=body, headers=_bearer(key))


def test_no_secret_in_logs_answers_usage_log_or_metrics(tmp_path, mock_url):
    usage_log = tmp_path / "usage.jsonl"
    settings = {
        "telemetry": {"access_log": True, "usage_log": "file", "usage_log_path": str(usage_log)}
    }
    with running_keyed_gateway(
        tmp_path, models=_deployments(mock_url), settings=settings, log_level="debug"
    ) as gateway:
        created = gateway.create_key(models=["gpt", "embed", "gemini", "refused", "demo"])
        key = created["key"]
        secret = key.rsplit("-", 1)[1]
        answers = [
            _chat(gateway, key, "gpt"),
            _chat(gateway, key, "gpt", stream=True),
            _chat(gateway, key, "gemini"),
            _chat(gateway, key, "gemini", "[error:401]"),  # the upstream refuses its key
            _chat(gateway, key, "gpt", "[error:401]"),
            _chat(gateway, key, "gpt", "[error:500]"),
            _chat(gateway, key, "gpt", "[midstream-error]", stream=True),
            _chat(gateway, key, "refused"),  # connection refused: 502
            gateway.http.post(
                "/v1/embeddings",
                json={"model": "embed", "input": "hi"},
                headers={"x-api-key": key},
            ),
            _chat(gateway, key[:-4] + "AAAA", "gpt"),  # wrong secret
            _chat(gateway, key + "x", "gpt"),  # malformed
            _chat(gateway, secret, "gpt"),  # the secret alone
            _chat(gateway, MASTER_KEY, "gpt"),  # the master key on the API
            _chat(gateway, MASTER_KEY + "x", "gpt"),
            gateway.http.get("/admin/keys", headers=_bearer(MASTER_KEY[:-1])),
            gateway.http.get("/admin/keys", headers=_bearer(key)),
            gateway.http.get("/v1/models", headers=_bearer(key)),
            gateway.admin("GET", f"/keys/{created['id']}"),
        ]
        statuses = [answer.status_code for answer in answers]
        metrics = gateway.http.get("/metrics")
        logs = gateway.logs()
    assert statuses[:3] == [200, 200, 200], "the upstreams were reached with their keys"
    assert 502 in statuses and 401 in statuses and 500 in statuses
    assert metrics.status_code == 200 and "ferrogate_requests_total" in metrics.text
    assert "DEBUG ferrogate" in logs, "the log really is at DEBUG"
    assert usage_log.read_text().count("\n") >= 8

    places = {
        "log": logs,
        "usage log": usage_log.read_text(),
        "metrics": metrics.text,
        **{f"answer {i}": a.text + str(a.headers) for i, a in enumerate(answers)},
    }
    for name, secret_text in {
        "virtual key": key,
        "its secret": secret,
        "master key": MASTER_KEY,
        "upstream key": UPSTREAM_KEY,
        "upstream key's random part": UPSTREAM_KEY.removeprefix("sk-upstream-"),
        "gemini key": GEMINI_KEY,
        "secret upstream header": HEADER_SECRET,
    }.items():
        for place, text in places.items():
            assert secret_text not in text, f"the {name} appears in the {place}"
