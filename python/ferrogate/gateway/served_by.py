"""Which deployment answered, after how many upstream attempts: the `x-ferrogate-*` headers."""

from __future__ import annotations

from time import perf_counter

from ferrogate.routing import ModelRegistry
from ferrogate.routing.router import Routed


def served_by_headers(registry: ModelRegistry, routed: Routed) -> list[tuple[str, str]]:
    deployment = registry.deployment(routed.served_by.deployment_id)
    headers = [
        ("x-ferrogate-provider", deployment.provider),
        ("x-ferrogate-model", deployment.model),
        ("x-ferrogate-deployment", routed.served_by.deployment_id),
        ("x-ferrogate-attempts", str(routed.attempts)),
    ]
    if routed.hedged:
        headers.append(("x-ferrogate-hedged", "true"))
    return headers


def upstream_seconds(routed: Routed, routing_started: float, answer_upstream_s: float) -> float:
    """Time to leave out of the gateway's own overhead: the upstream's, and with retries or
    hedges all of the routing (back-off sleeps and failed attempts are not gateway work)."""
    if routed.attempts > 1 or routed.hedged:
        return perf_counter() - routing_started
    return answer_upstream_s


def note_routing(record, routed: Routed, deployment) -> None:
    """What the routing did, for the request's record."""
    record.deployment = routed.served_by.deployment_id
    record.provider = deployment.provider
    record.upstream_model = deployment.model
    record.attempts = routed.attempts
    record.hedged = routed.hedged
    record.fallbacks = routed.given_up
    record.attempt_log = routed.log
    record.retries = max(0, routed.attempts - 1 - routed.given_up - (1 if routed.hedged else 0))
