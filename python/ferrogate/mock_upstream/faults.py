"""The faults a mock process injects, from its flags or from `POST /_faults`.

One frozen value, so a request keeps the faults it was admitted under even if a test
changes them meanwhile. Field names are the flags' names with underscores, and the JSON
fields of `/_faults`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace


@dataclass(frozen=True, slots=True)
class Faults:
    fault_rate: float = 0.0  # share of requests answered with `fault_status`
    fault_status: int = 503
    fault_retry_after: float | None = None  # seconds, sent as retry-after with the status
    latency_ms: float = 0.0  # before the response headers, on every model request
    jitter_ms: float = 0.0  # plus a uniform random 0..jitter_ms
    first_token_ms: float = 0.0  # streams: pause between the headers and the first event
    first_token_rate: float = 1.0  # share of streams that get that pause
    reset_rate: float = 0.0  # share of requests whose connection is reset unanswered
    cut_after: int | None = None  # streams: drop the connection after this many events
    cut_rate: float = 1.0  # share of streams that are cut

    def __post_init__(self) -> None:
        for name in ("fault_rate", "first_token_rate", "reset_rate", "cut_rate"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.fault_rate + self.reset_rate > 1:
            raise ValueError("fault_rate + reset_rate must not exceed 1")
        if not 400 <= self.fault_status <= 599:
            raise ValueError("fault_status must be an HTTP error status (400-599)")
        for name in ("latency_ms", "jitter_ms", "first_token_ms", "fault_retry_after"):
            if (getattr(self, name) or 0) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.cut_after is not None and self.cut_after < 0:
            raise ValueError("cut_after must not be negative")

    @property
    def active(self) -> bool:
        """Whether a request needs the dice at all (the fast path skips them)."""
        return bool(
            self.fault_rate
            or self.reset_rate
            or self.latency_ms
            or self.jitter_ms
            or self.first_token_ms
            or self.cut_after is not None
        )

    def as_json(self) -> dict[str, object]:
        return asdict(self)


_INTEGERS = frozenset({"fault_status", "cut_after"})
_NULLABLE = frozenset({"fault_retry_after", "cut_after"})
FIELD_NAMES = frozenset(field.name for field in fields(Faults))


def faults_with(current: Faults, changes: dict[str, object]) -> Faults:
    """`current` with the fields `changes` names; ValueError says what is wrong."""
    unknown = sorted(set(changes) - FIELD_NAMES)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(unknown)}")
    checked: dict[str, object] = {}
    for name, value in changes.items():
        if value is None and name in _NULLABLE:
            checked[name] = None
            continue
        kinds = (int,) if name in _INTEGERS else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            wanted = "an integer" if name in _INTEGERS else "a number"
            raise ValueError(f"{name} must be {wanted}")
        checked[name] = value if name in _INTEGERS else float(value)
    return replace(current, **checked)  # type: ignore[arg-type]
