"""Model names clients send -> the router that picks and calls their deployments.

Built once from the config: a provider per enabled deployment, a candidate per provider
(weight, priority, prices, context window, capabilities, health), one strategy per model,
and a `ModelRouter` that walks the strategy's order with retries, fallbacks and hedging.
With a Redis URL, cooldowns and latency estimates are shared between instances.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ferrogate.config import Config, Deployment, Model
from ferrogate.errors import ModelNotFound
from ferrogate.providers import ChatProvider, build_provider
from ferrogate.providers.capabilities import Capabilities
from ferrogate.shared_state.redis_client import connect
from ferrogate.spend.prices import PriceTable

from .candidates import Candidate
from .capacity import DeploymentCapacity
from .health import HealthBook
from .latency import LatencyTracker
from .retry import RetryPolicy
from .router import DeploymentSettings, HedgePolicy, ModelRouter
from .strategies import Cheapest, LeastLatency, PriorityOrder, Strategy, Weighted

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("ferrogate.routing")


@dataclass(frozen=True, slots=True)
class Route:
    alias: str  # the model's own name, also when the client sent one of its aliases
    router: ModelRouter
    deployment: Deployment  # the first enabled one: tokenizer and price estimate at admission
    provider: ChatProvider  # its provider (the cache's embedder borrows it)
    by_id: dict[str, Deployment]  # every enabled deployment, for the served-by headers
    # Whether routing looks at the prompt's size (context windows, costs, token capacity),
    # so the prompt must be counted even for callers nobody meters.
    counts_prompt: bool = False

    def can_serve(self, needs: frozenset[str]) -> bool:
        """Whether any deployment has every capability in `needs`."""
        return any(
            c.capabilities is None or needs <= c.capabilities for c in self.router.candidates
        )


class ModelRegistry:
    def __init__(
        self,
        routes: dict[str, Route],
        disabled: dict[str, str],
        closers: list[Any] = (),
        *,
        health: HealthBook | None = None,
        trackers: dict[str, LatencyTracker] | None = None,
    ):
        self._routes = routes  # names and aliases -> route
        self._deployments = {
            deployment_id: deployment
            for route in routes.values()
            for deployment_id, deployment in route.by_id.items()
        }
        self._disabled = disabled  # name -> why it cannot be served
        self._closers = list(closers)
        self._health = health
        self._trackers = trackers or {}  # deployment id -> its model's latency tracker

    @classmethod
    def from_config(cls, config: Config, redis_url: str | None = None) -> ModelRegistry:
        redis = connect(redis_url) if redis_url else None  # fails fast while Redis is down
        health = _health_book(config, redis)
        prices = PriceTable(config.prices)
        closers: list[Any] = []
        capacities = _Capacities(config, redis_url)
        routes: dict[str, Route] = {}
        disabled: dict[str, str] = {}
        providers: list[ChatProvider] = []
        trackers: dict[str, LatencyTracker] = {}
        for model in config.models:
            enabled = [(i, d) for i, d in enumerate(model.deployments) if d.enabled]
            if not enabled:
                kinds = ", ".join(sorted({d.provider for d in model.deployments}))
                for name in (model.name, *model.aliases):
                    disabled[name] = f"no deployment is enabled (set the API key for {kinds})"
                log.debug("model %s disabled: no deployment has an api_key", model.name)
                continue
            candidates = []
            by_id: dict[str, Deployment] = {}
            for position, deployment in enabled:
                provider = build_provider(deployment)
                providers.append(provider)
                deployment_id = model.deployment_id(position)
                by_id[deployment_id] = deployment
                candidates.append(_candidate(deployment_id, deployment, provider, prices, health))
            first = enabled[0][1]
            strategy, latency = _strategy(model, redis)
            if latency is not None:
                closers.append(latency)
                trackers.update({model.deployment_id(position): latency for position, _ in enabled})
            retries = {
                model.deployment_id(position): DeploymentSettings(
                    _retry_policy(config, deployment),
                    deployment.first_token_timeout_s,
                    capacities.of(model.deployment_id(position), deployment),
                )
                for position, deployment in enabled
            }
            router = ModelRouter(
                model.name,
                candidates,
                strategy,
                _retry_policy(config, first),
                health=health,
                latency=latency,
                hedge=HedgePolicy(model.hedge_after_ms / 1000) if model.hedge_after_ms else None,
                first_token_timeout_s=first.first_token_timeout_s,
                fallbacks=model.fallbacks,
                resolve=lambda name: _resolved(routes, name).router,
                per_deployment=retries,
            )
            counts_prompt = model.strategy == "cost" or any(
                d.context_window is not None or d.tpm is not None for _, d in enabled
            )
            route = Route(model.name, router, first, candidates[0].target, by_id, counts_prompt)
            for name in (model.name, *model.aliases):
                routes[name] = route
        closers += [*providers, health, capacities]
        if redis is not None:
            closers.append(redis)
        return cls(routes, disabled, closers, health=health, trackers=trackers)

    def resolve(self, alias: str) -> Route:
        route = self._routes.get(alias)
        if route is not None:
            return route
        reason = self._disabled.get(alias)
        if reason is not None:
            raise ModelNotFound(f"The model `{alias}` is configured but {reason}.", param="model")
        raise ModelNotFound(f"The model `{alias}` does not exist.", param="model")

    def deployment(self, deployment_id: str) -> Deployment:
        """The deployment a router's candidate stands for (fallbacks cross aliases)."""
        return self._deployments[deployment_id]

    def deployment_states(self) -> list[dict[str, Any]]:
        """Each enabled deployment's model, provider, breaker state and latency estimate
        (models routed by least latency only), as this process sees them: shared between
        instances when Redis is configured."""
        routes = {route.alias: route for route in self._routes.values()}  # aliases folded
        return [
            self._deployment_state(model, deployment_id, deployment.provider)
            for model, route in routes.items()
            for deployment_id, deployment in route.by_id.items()
        ]

    def _deployment_state(self, model: str, deployment_id: str, provider: str) -> dict[str, Any]:
        tracker = self._trackers.get(deployment_id)
        estimate = tracker.estimate(deployment_id) if tracker is not None else None
        health = self._health
        return {
            "id": deployment_id,
            "model": model,
            "provider": provider,
            "state": health.state(deployment_id).value if health else "closed",
            "cooldown_left_s": round(health.cooldown_left_s(deployment_id), 1) if health else 0.0,
            "latency_estimate_ms": None if estimate is None else round(estimate * 1000, 3),
        }

    def aliases(self) -> list[str]:
        return list(self._routes)

    def disabled_aliases(self) -> list[str]:
        return list(self._disabled)

    async def aclose(self) -> None:
        for closer in self._closers:
            close = getattr(closer, "aclose", None)
            if close is not None:
                await close()


def _resolved(routes: dict[str, Route], name: str) -> Route:
    route = routes.get(name)
    if route is None:
        raise ModelNotFound(f"The fallback model `{name}` is not available.", param="model")
    return route


def _candidate(
    deployment_id: str,
    deployment: Deployment,
    provider: ChatProvider,
    prices: PriceTable,
    health: HealthBook,
) -> Candidate:
    input_price, output_price = deployment.input_per_mtok, deployment.output_per_mtok
    if input_price is None and prices.knows(deployment.model):
        # One million tokens of each side costs exactly the per-million price.
        input_price = prices.cost(deployment.model, 1_000_000, 0)
        output_price = prices.cost(deployment.model, 0, 1_000_000)
    return Candidate(
        deployment_id,
        target=provider,
        weight=deployment.weight,
        priority=deployment.priority,
        input_per_mtok=input_price,
        output_per_mtok=output_price,
        context_window=deployment.context_window,
        capabilities=capability_names(provider.capabilities),
        health=health.handle(deployment_id),
    )


def capability_names(capabilities: Capabilities) -> frozenset[str]:
    return frozenset(
        name
        for name in ("streaming", "tools", "images", "json_schema", "embeddings")
        if getattr(capabilities, name)
    )


def _strategy(model: Model, redis: Redis | None) -> tuple[Strategy, LatencyTracker | None]:
    """The model's strategy, and the latency tracker the router must feed, if it needs one."""
    if model.strategy == "weighted":
        return Weighted(), None
    if model.strategy == "cost":
        return Cheapest(), None
    if model.strategy == "least-latency":
        tracker = LatencyTracker()
        if redis is not None:
            from .redis_latency import RedisLatencyTracker

            tracker = RedisLatencyTracker(redis, model.name)
        return LeastLatency(tracker), tracker
    return PriorityOrder(), None


class _Capacities:
    """One limiter for every deployment with its own rpm/tpm, opened only if one has."""

    def __init__(self, config: Config, redis_url: str | None):
        self._config = config
        self._redis_url = redis_url
        self._limiter = None

    def of(self, deployment_id: str, deployment: Deployment) -> DeploymentCapacity | None:
        if deployment.rpm is None and deployment.tpm is None:
            return None
        if self._limiter is None:
            from ferrogate.limits.open_limiter import open_limiter

            self._limiter = open_limiter(self._config.limits, self._redis_url)
        return DeploymentCapacity(deployment_id, deployment.rpm, deployment.tpm, self._limiter)

    async def aclose(self) -> None:
        if self._limiter is not None:
            await self._limiter.aclose()


def _retry_policy(config: Config, deployment: Deployment) -> RetryPolicy:
    settings = config.routing
    return RetryPolicy(
        max_retries=deployment.max_retries,
        base_delay_s=settings.retry_base_delay_s,
        max_delay_s=settings.retry_max_delay_s,
        max_retry_after_s=settings.max_retry_after_s,
    )


def _health_book(config: Config, redis: Redis | None) -> HealthBook:
    settings = config.routing
    if redis is None:
        return HealthBook(
            failures_to_trip=settings.failures_to_cool_down, cooldown_s=settings.cooldown_s
        )
    from .redis_health import RedisHealthBook

    return RedisHealthBook(
        redis, failures_to_trip=settings.failures_to_cool_down, cooldown_s=settings.cooldown_s
    )
