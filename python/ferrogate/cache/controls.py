"""Per-request cache control from request headers, checked like any other input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ferrogate.errors import InvalidRequest

NAMESPACE_HEADER = "x-ferrogate-cache-namespace"
TTL_HEADER = "x-ferrogate-cache-ttl"
THRESHOLD_HEADER = "x-ferrogate-cache-threshold"
DEFAULT_NAMESPACE = "default"


@dataclass(frozen=True, slots=True)
class CacheControls:
    read: bool
    write: bool
    namespace: str
    ttl_s: int
    threshold: float


def controls_from(headers: Mapping[str, str], ttl_s: int, threshold: float) -> CacheControls:
    directives = {d.strip().lower() for d in (headers.get("cache-control") or "").split(",")}
    return CacheControls(
        read="no-cache" not in directives,
        write="no-store" not in directives,
        namespace=headers.get(NAMESPACE_HEADER) or DEFAULT_NAMESPACE,
        ttl_s=_number(headers, TTL_HEADER, int, ttl_s, low=1),
        threshold=_number(headers, THRESHOLD_HEADER, float, threshold, low=0.0, high=1.0),
    )


def _number(headers, name, kind, default, low, high=None):
    raw = headers.get(name)
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        raise InvalidRequest(f"Header `{name}` must be a number {bounds}.", param=name)
    return value
