"""A gateway with a master key (keys, limits and budgets on) and a small admin client."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import yaml

from tests.support.processes import ferrogate_command, free_port, running

MASTER_KEY = "mk-test-0123456789abcdef"
DEMO = {"demo": {"provider": "demo", "model": "demo", "chunk_delay_ms": 0}}


class KeyedGateway:
    def __init__(self, url: str, log_path: Path):
        self.url = url
        self.log_path = log_path
        self.http = httpx.Client(base_url=url, timeout=30)

    def admin(self, method: str, path: str, body: dict | None = None) -> httpx.Response:
        headers = {"authorization": f"Bearer {MASTER_KEY}"}
        return self.http.request(method, f"/admin{path}", json=body, headers=headers)

    def create_key(self, **fields) -> dict:
        answer = self.admin("POST", "/keys", fields)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def key_view(self, key_id: str, until=lambda view: True, within_s: float = 5.0) -> dict:
        """The admin view of a key, once `until(view)` holds: settles run after the answer."""
        deadline = time.monotonic() + within_s
        while True:
            view = self.admin("GET", f"/keys/{key_id}").json()
            if until(view) or time.monotonic() > deadline:
                return view
            time.sleep(0.02)

    def chat(self, key: str, content: str = "hello", model: str = "demo", **extra):
        body = {"model": model, "messages": [{"role": "user", "content": content}], **extra}
        return self.http.post(
            "/v1/chat/completions", json=body, headers={"authorization": f"Bearer {key}"}
        )

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def running_keyed_gateway(
    config_dir: Path,
    *,
    models: dict[str, dict] | None = None,
    model_specs: dict[str, dict] | None = None,
    redis_url: str | None = None,
    server: str = "granian",
    settings: dict | None = None,
    log_level: str = "info",
    extra_args: tuple[str, ...] = (),
) -> Iterator[KeyedGateway]:
    """Serve `models` ({name: deployment}), or `model_specs` ({name: model fields}), with the
    test master key; keys in `config_dir`."""
    deployments = models or DEMO
    settings = dict(settings or {})
    keys = {"sqlite_path": str(config_dir / "keys.sqlite3"), **settings.pop("keys", {})}
    config = {
        "models": [
            {"name": name, "deployments": [{"api_key": "sk-mock", **deployment}]}
            for name, deployment in deployments.items()
        ]
        if model_specs is None
        else [
            {
                "name": name,
                **spec,
                "deployments": [{"api_key": "sk-mock", **d} for d in spec["deployments"]],
            }
            for name, spec in model_specs.items()
        ],
        "keys": keys,
        **settings,
    }
    config_path = config_dir / "config.yaml"
    config_path.write_text(yaml.safe_dump(config))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = ferrogate_command(
        *("serve", "--server", server, "--port", str(port), "--config", str(config_path)),
        *("--log-level", log_level),
        *(("--redis-url", redis_url) if redis_url else ()),
        *extra_args,
    )
    env = {"FERROGATE_MASTER_KEY": MASTER_KEY}
    with running(command, f"{url}/health", env) as process:
        gateway = KeyedGateway(url, process.log_path)
        try:
            yield gateway
        finally:
            gateway.http.close()
