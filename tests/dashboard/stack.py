"""A gateway serving two models from the mock upstream, with or without a master key."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.dashboard.traffic import SERVED_MODELS, UPSTREAM_MODEL
from tests.support.gateway_stack import running_gateway, running_mock

MASTER_KEY = "mk-dashboard-0123456789abcdef"


@contextmanager
def gateway(
    tmp_path: Path, master_key: str, settings: dict | None = None, server: str = "granian"
) -> Iterator[str]:
    """The gateway's root URL; an empty `master_key` makes an open gateway."""
    with running_mock() as mock_url:
        deployments = {
            name: {"provider": "openai", "model": UPSTREAM_MODEL, "base_url": f"{mock_url}/v1"}
            for name in SERVED_MODELS
        }
        env = {"FERROGATE_MASTER_KEY": master_key}
        with running_gateway(deployments, tmp_path, server, settings=settings, env=env) as url:
            yield url
