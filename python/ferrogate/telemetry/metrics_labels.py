"""Label values for the Prometheus metrics, each drawn from a bounded set.

Every distinct label value is a new time series in every worker and in Prometheus, so nothing
a client typed reaches a label unchecked: values outside a fixed allow-list become ``other``,
a missing value becomes ``none``.
"""

from __future__ import annotations

from collections.abc import Iterable

from .record import RequestRecord

NONE = "none"
OTHER = "other"

ROUTES = frozenset({"chat", "embeddings", "models", "admin", "other"})
STAGES = frozenset({"parse", "auth", "limits", "budget", "cache", "route", "provider", "respond"})
CACHE_RESULTS = frozenset({"miss", "hit-exact", "hit-l1", "hit-l2", "bypass"})
# Results that followed a lookup; `bypass` skipped the cache altogether.
CACHE_LOOKUP_RESULTS = CACHE_RESULTS - {"bypass"}
RATE_LIMIT_KINDS = frozenset({"requests", "tokens", "budget"})
STREAM_OUTCOMES = frozenset({"completed", "failed", "cancelled", "timed_out"})

# The codes the gateway sends when an upstream failed it (errors.UpstreamError, ...Unreachable,
# ...Timeout and the stream errors the routing layer raises).
UPSTREAM_ERROR_CODES = frozenset(
    {
        "upstream_error",
        "upstream_unreachable",
        "upstream_timeout",
        "stream_interrupted",
        "stream_truncated",
        "stream_idle_timeout",
    }
)
# An upstream's own error code, passed through an early stream error, comes with one of these.
_UPSTREAM_STATUSES = frozenset({502, 504})

# Without a list of configured models, the first this many distinct names a process sees keep
# their own series and later ones share `other`: a bound even if a caller forgets the list.
MAX_UNLISTED_MODELS = 100


def bounded(value: str | None, allowed: frozenset[str]) -> str:
    if value is None:
        return NONE
    return value if value in allowed else OTHER


def upstream_error_code(record: RequestRecord) -> str | None:
    """The bounded code of an upstream failure, or None when the failure (if any) was ours.

    The code alone tells most cases apart; a 502 or 504 carrying another code is an upstream's
    own error code relayed, and a stream ended for idling waited on the upstream.
    """
    code = record.error_code
    if code in UPSTREAM_ERROR_CODES:
        return code
    if record.status in _UPSTREAM_STATUSES:
        return OTHER
    if record.outcome == "timed_out" and code != "stream_max_duration":
        return OTHER  # idle: the upstream went silent; past max duration is our own limit
    return None


class ModelLabels:
    """Model names as labels: configured names pass, anything else becomes `other`."""

    __slots__ = ("_allowed", "_open")

    def __init__(self, known_models: Iterable[str] | None):
        self._open = known_models is None
        self._allowed: set[str] = set(known_models or ())

    def __call__(self, model: str | None) -> str:
        if model is None:
            return NONE
        if model in self._allowed:
            return model
        if self._open and len(self._allowed) < MAX_UNLISTED_MODELS:
            self._allowed.add(model)
            return model
        return OTHER
