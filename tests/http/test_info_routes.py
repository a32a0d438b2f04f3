"""Models, liveness and readiness."""

from __future__ import annotations

from .raw import call


def test_models_lists_servable_models_only(gateway):
    ids = {model.id for model in gateway.client().models.list()}

    assert {"demo", "mock-gpt", "mock-alias"} <= ids
    assert "nokey" not in ids  # configured, but without an API key it cannot serve


def test_health_and_ready_answer_ok_without_redis(gateway):
    health = call("GET", f"{gateway.url}/health")
    ready = call("GET", f"{gateway.url}/ready")

    assert (health.status, health.json()) == (200, {"status": "ok"})
    assert (ready.status, ready.json()) == (200, {"status": "ready", "checks": {}})
