"""Read, interpolate and validate a config file; every error names the file and the field."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import msgspec
import yaml

from .interpolate import InterpolationError, interpolate
from .schema import Config

DEFAULT_SOURCE = "<embedded default>"
_PROVIDERS_NEEDING_BASE_URL = {"azure"}


class ConfigError(ValueError):
    pass


def load_config(
    path: str | os.PathLike[str] | None, env: Mapping[str, str] | None = None
) -> Config:
    env = os.environ if env is None else env
    if path is None:
        text = resources.files(__package__).joinpath("default.yaml").read_text("utf-8")
        return parse_config(text, DEFAULT_SOURCE, env)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from exc
    return parse_config(text, str(path), env)


def parse_config(text: str, source: str, env: Mapping[str, str]) -> Config:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the top level must be a mapping with a 'models' list")
    try:
        resolved = interpolate(raw, env)
        config = msgspec.convert(resolved, Config, strict=False)
    except InterpolationError as exc:
        raise ConfigError(f"{source}: {exc}") from exc
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{source}: {_readable(str(exc))}") from exc
    _check_semantics(config, source)
    return config


def _readable(message: str) -> str:
    # msgspec says "Expected `str`, got `int` - at `$.models[0].name`"; lead with the field.
    match = re.match(r"(?s)(.*) - at `\$\.?(.*)`$", message)
    if not match:
        return message
    detail, field = match.groups()
    return f"{field}: {detail}" if field else detail


def _check_semantics(config: Config, source: str) -> None:
    seen: set[str] = set()
    deployment_ids: set[str] = set()
    for i, model in enumerate(config.models):
        where = f"{source}: models[{i}]"
        if not model.name:
            raise ConfigError(f"{where}.name: must not be empty")
        for field, name in [("name", model.name), *(("aliases", a) for a in model.aliases)]:
            if name in seen:
                raise ConfigError(f"{where}.{field}: model name {name!r} is used twice")
            seen.add(name)
        if not model.deployments:
            raise ConfigError(f"{where}.deployments: needs at least one deployment")
        for j, deployment in enumerate(model.deployments):
            _check_deployment(deployment, f"{where}.deployments[{j}]")
            deployment_id = model.deployment_id(j)
            if deployment_id in deployment_ids:
                raise ConfigError(
                    f"{where}.deployments[{j}].id: deployment id {deployment_id!r} is used twice"
                )
            deployment_ids.add(deployment_id)
        if model.hedge_after_ms is not None and model.hedge_after_ms <= 0:
            raise ConfigError(f"{where}.hedge_after_ms: must be positive")
    for field in ("header_timeout_s", "body_timeout_s"):
        if getattr(config.server, field) <= 0:
            raise ConfigError(f"{source}: server.{field}: must be positive")
    if not config.streaming.idle_timeout_s > 0:
        raise ConfigError(f"{source}: streaming.idle_timeout_s: must be more than 0 seconds")
    max_duration_s = config.streaming.max_duration_s
    if max_duration_s is not None and max_duration_s < 0:
        raise ConfigError(f"{source}: streaming.max_duration_s: must not be negative (0 is off)")
    if config.telemetry.usage_log is True:
        raise ConfigError(f"{source}: telemetry.usage_log: say where: file, stdout or redis")
    for i, model in enumerate(config.models):
        for fallback in model.fallbacks:
            if fallback not in seen or fallback in (model.name, *model.aliases):
                raise ConfigError(
                    f"{source}: models[{i}].fallbacks: {fallback!r} is not another model"
                )


def _check_deployment(deployment, where: str) -> None:
    if not deployment.model:
        raise ConfigError(f"{where}.model: must not be empty")
    if deployment.provider in _PROVIDERS_NEEDING_BASE_URL and not deployment.base_url:
        raise ConfigError(f"{where}.base_url: required for provider {deployment.provider!r}")
    if deployment.base_url and not deployment.base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}.base_url: must start with http:// or https://")
    if deployment.timeout_s <= 0 or deployment.connect_timeout_s <= 0:
        raise ConfigError(f"{where}: timeouts must be positive")
    if deployment.chunk_delay_ms < 0:
        raise ConfigError(f"{where}.chunk_delay_ms: must not be negative")
    if deployment.weight < 0:
        raise ConfigError(f"{where}.weight: must not be negative")
    for field in ("rpm", "tpm"):
        if getattr(deployment, field) is not None and getattr(deployment, field) <= 0:
            raise ConfigError(f"{where}.{field}: must be positive")
    if deployment.max_retries < 0:
        raise ConfigError(f"{where}.max_retries: must not be negative")
    if deployment.first_token_timeout_s is not None and deployment.first_token_timeout_s <= 0:
        raise ConfigError(f"{where}.first_token_timeout_s: must be positive")
