"""Without a master key the gateway runs open, says so once, and keeps the admin API off."""

from __future__ import annotations

import httpx
import yaml

from tests.support.processes import ferrogate_command, free_port, running


def test_an_open_gateway_needs_no_key_says_so_and_refuses_admin(tmp_path):
    config = tmp_path / "config.yaml"
    demo = {"provider": "demo", "model": "demo"}
    config.write_text(yaml.safe_dump({"models": [{"name": "demo", "deployments": [demo]}]}))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = ferrogate_command("serve", "--port", str(port), "--config", str(config))
    with running(serve, f"{url}/health", {"FERROGATE_MASTER_KEY": ""}) as process:
        body = {"model": "demo", "messages": [{"role": "user", "content": "hi"}]}
        answer = httpx.post(f"{url}/v1/chat/completions", json=body)
        assert answer.status_code == 200
        assert "x-ratelimit-limit-requests" not in answer.headers
        admin = httpx.get(f"{url}/admin/keys", headers={"authorization": "Bearer anything"})
        assert admin.status_code == 403
        assert admin.json()["error"]["code"] == "admin_disabled"
        logs = process.log_path.read_text()
    assert logs.count("the gateway runs open") == 1
