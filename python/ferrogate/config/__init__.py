"""YAML configuration: typed, interpolated from the environment, validated at start."""

from .loader import DEFAULT_SOURCE, ConfigError, load_config, parse_config
from .schema import (
    CacheConfig,
    Config,
    Deployment,
    KeysConfig,
    LimitsConfig,
    Model,
    Price,
    RoutingConfig,
    ServerConfig,
    StreamingConfig,
    TelemetryConfig,
)

__all__ = [
    "DEFAULT_SOURCE",
    "CacheConfig",
    "Config",
    "ConfigError",
    "Deployment",
    "KeysConfig",
    "LimitsConfig",
    "Model",
    "Price",
    "RoutingConfig",
    "ServerConfig",
    "StreamingConfig",
    "TelemetryConfig",
    "load_config",
    "parse_config",
]
