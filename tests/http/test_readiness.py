"""/ready reflects whether the Redis the gateway was given answers (a real Redis Stack)."""

from __future__ import annotations

import pytest

from tests.support.processes import ferrogate_command, free_port, running

from .raw import call


def _serve(server: str, redis_url: str):
    port = free_port()
    command = ferrogate_command(
        "serve", "--server", server, "--port", str(port), "--redis-url", redis_url
    )
    return running(command, f"http://127.0.0.1:{port}/health"), f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("server", ["granian", "robyn"])
def test_ready_when_redis_answers(server, redis_stack_url):
    process, url = _serve(server, redis_stack_url)
    with process:
        reply = call("GET", f"{url}/ready")

    assert (reply.status, reply.json()) == (200, {"status": "ready", "checks": {"redis": True}})


@pytest.mark.parametrize("server", ["granian", "robyn"])
def test_not_ready_but_still_serving_when_redis_is_down(server):
    process, url = _serve(server, f"redis://127.0.0.1:{free_port()}/0")
    with process:
        ready = call("GET", f"{url}/ready")
        health = call("GET", f"{url}/health")

    assert (ready.status, ready.json()["checks"]) == (503, {"redis": False})
    assert health.status == 200
