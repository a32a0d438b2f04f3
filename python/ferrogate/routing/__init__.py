"""Model aliases to deployments."""

from .registry import ModelRegistry, Route

__all__ = ["ModelRegistry", "Route"]
