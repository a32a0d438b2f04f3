"""Which provider serves a model name a client sends.

This first version serves each alias from its first enabled deployment; strategies
and fallbacks build on the same table.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ferrogate.config import Config, Deployment
from ferrogate.errors import ModelNotFound
from ferrogate.providers import ChatProvider, build_provider

log = logging.getLogger("ferrogate.routing")


@dataclass(frozen=True, slots=True)
class Route:
    alias: str
    deployment: Deployment
    provider: ChatProvider


class ModelRegistry:
    def __init__(self, routes: dict[str, Route], disabled: dict[str, str]):
        self._routes = routes
        self._disabled = disabled  # alias -> why it cannot be served

    @classmethod
    def from_config(cls, config: Config) -> ModelRegistry:
        routes: dict[str, Route] = {}
        disabled: dict[str, str] = {}
        for model in config.models:
            enabled = [d for d in model.deployments if d.enabled]
            if not enabled:
                providers = ", ".join(sorted({d.provider for d in model.deployments}))
                disabled[model.name] = f"no deployment is enabled (set the API key for {providers})"
                log.debug("model %s disabled: no deployment has an api_key", model.name)
                continue
            deployment = enabled[0]
            routes[model.name] = Route(model.name, deployment, build_provider(deployment))
        return cls(routes, disabled)

    def resolve(self, alias: str) -> Route:
        route = self._routes.get(alias)
        if route is not None:
            return route
        reason = self._disabled.get(alias)
        if reason is not None:
            raise ModelNotFound(f"The model `{alias}` is configured but {reason}.", param="model")
        raise ModelNotFound(f"The model `{alias}` does not exist.", param="model")

    def aliases(self) -> list[str]:
        return list(self._routes)

    def disabled_aliases(self) -> list[str]:
        return list(self._disabled)

    async def aclose(self) -> None:
        for route in self._routes.values():
            await route.provider.aclose()
