"""Per-request cache control from request headers, checked like any other input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ferrogate.errors import InvalidRequest

NAMESPACE_HEADER = "x-ferrogate-cache-namespace"
TTL_HEADER = "x-ferrogate-cache-ttl"
THRESHOLD_HEADER = "x-ferrogate-cache-threshold"
DEFAULT_NAMESPACE = "default"
# A keyed caller that names no namespace gets its key's own: keys never share answers
# unless they opt into a named namespace. Named namespaces cannot take this prefix.
KEY_NAMESPACE_PREFIX = "key:"


@dataclass(frozen=True, slots=True)
class CacheControls:
    read: bool
    write: bool
    namespace: str
    ttl_s: int
    threshold: float


def controls_from(
    headers: Mapping[str, str], ttl_s: int, threshold: float, key_id: str | None = None
) -> CacheControls:
    """`key_id`: the caller's virtual key, whose own namespace is the default."""
    directives = {d.strip().lower() for d in (headers.get("cache-control") or "").split(",")}
    return CacheControls(
        read="no-cache" not in directives,
        write="no-store" not in directives,
        namespace=_namespace(headers.get(NAMESPACE_HEADER), key_id),
        ttl_s=_number(headers, TTL_HEADER, int, ttl_s, low=1),
        threshold=_number(headers, THRESHOLD_HEADER, float, threshold, low=0.0, high=1.0),
    )


def _namespace(named: str | None, key_id: str | None) -> str:
    if named:
        if named.startswith(KEY_NAMESPACE_PREFIX):
            raise InvalidRequest(
                f"{NAMESPACE_HEADER}: namespaces starting with `{KEY_NAMESPACE_PREFIX}` are "
                "reserved for each key's own cache.",
                param=NAMESPACE_HEADER,
            )
        return named
    return f"{KEY_NAMESPACE_PREFIX}{key_id}" if key_id else DEFAULT_NAMESPACE


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
