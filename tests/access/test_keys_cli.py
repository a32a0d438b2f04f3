"""`ferrogate keys create|list|show|rotate|revoke` against a running gateway."""

from __future__ import annotations

import json
import os
import subprocess

from tests.access.keyed import MASTER_KEY, running_keyed_gateway
from tests.support.processes import REPO, ferrogate_command


def _keys(url: str, *args: str, master: str = MASTER_KEY) -> subprocess.CompletedProcess:
    env = {**os.environ, "FERROGATE_MASTER_KEY": master, "FERROGATE_URL": url}
    return subprocess.run(
        ferrogate_command("keys", *args), env=env, cwd=REPO, capture_output=True, text=True
    )


def test_the_key_lifecycle_from_the_command_line(tmp_path):
    with running_keyed_gateway(tmp_path) as gateway:
        made = _keys(
            gateway.url,
            "create",
            "--models",
            "demo",
            "--rpm",
            "10",
            "--budget-period",
            "30d",
            "--max-budget-usd",
            "2.5",
            "--metadata",
            '{"team": "ops"}',
        )
        assert made.returncode == 0, made.stderr
        created = json.loads(made.stdout)
        assert created["rpm"] == 10 and created["models"] == ["demo"]
        assert gateway.chat(created["key"]).status_code == 200

        listed = json.loads(_keys(gateway.url, "list").stdout)["data"]
        assert [k["id"] for k in listed] == [created["id"]]
        assert created["key"] not in json.dumps(listed)

        rotated = json.loads(_keys(gateway.url, "rotate", created["id"]).stdout)
        assert gateway.chat(created["key"]).status_code == 401
        assert gateway.chat(rotated["key"]).status_code == 200

        assert _keys(gateway.url, "revoke", created["id"]).returncode == 0
        assert gateway.chat(rotated["key"]).status_code == 401
        missing = _keys(gateway.url, "show", created["id"])
        assert missing.returncode == 1 and "key_not_found" in missing.stdout

        wrong_master = _keys(gateway.url, "list", master="not-the-master")
        assert wrong_master.returncode == 1 and "invalid_api_key" in wrong_master.stdout
        no_master = _keys(gateway.url, "list", master="")
        assert no_master.returncode == 2 and "FERROGATE_MASTER_KEY" in no_master.stderr
