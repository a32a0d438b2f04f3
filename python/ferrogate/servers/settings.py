"""What `ferrogate serve` passes to its workers, through the environment.

Worker processes are started by the HTTP servers, not by us, so the resolved settings
travel as FERROGATE_* variables and each worker rebuilds the gateway from them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ferrogate.config import Config, load_config
from ferrogate.gateway import DEFAULT_MAX_BODY_BYTES, Gateway


@dataclass(frozen=True, slots=True)
class ServeSettings:
    server: str = "granian"
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    config: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    redis_url: str | None = None
    log_level: str = "info"

    def to_env(self) -> dict[str, str]:
        env = {
            "FERROGATE_MAX_BODY_BYTES": str(self.max_body_bytes),
            "FERROGATE_LOG_LEVEL": self.log_level,
        }
        if self.config:
            env["FERROGATE_CONFIG"] = self.config
        if self.redis_url:
            env["FERROGATE_REDIS_URL"] = self.redis_url
        return env


def config_from_env(env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    return load_config(env.get("FERROGATE_CONFIG") or None, env)


def gateway_from_env(env: Mapping[str, str] | None = None, config: Config | None = None) -> Gateway:
    env = os.environ if env is None else env
    config = config or config_from_env(env)
    limit = int(env.get("FERROGATE_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))
    redis_url = env.get("FERROGATE_REDIS_URL") or None
    return Gateway.from_config(config, max_body_bytes=limit, redis_url=redis_url)
