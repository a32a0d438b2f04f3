"""Validation of `POST /admin/keys` and `PATCH /admin/keys/{id}` bodies into key records.

Both take the same fields; POST may leave any out, PATCH changes only those given and
`null` clears one (no limit, every model, no expiry, empty metadata). `metadata` is replaced
as a whole, not merged. A bad field is a 400 naming it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import msgspec

from ferrogate.errors import InvalidRequest
from ferrogate.keys.record import KeyRecord

MAX_METADATA_BYTES = 4096  # serialised; metadata rides along in every cached record
MAX_MODELS = 1000
PERIOD_PATTERN = re.compile(r"([1-9][0-9]{0,5})(mo|m|h|d|w)")
UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86_400, "w": 7 * 86_400, "mo": 30 * 86_400}


def period_seconds(period: str) -> float:
    """Length of a budget period such as `45m`, `12h`, `30d`, `1w` or `1mo` (30 days)."""
    match = PERIOD_PATTERN.fullmatch(period)
    if match is None:
        raise ValueError(f"not a period: {period!r}; use a count and m, h, d, w or mo")
    return float(int(match.group(1)) * UNIT_SECONDS[match.group(2)])


def key_from_create_body(body: dict, key_id: str, secret_hash: str, now: float) -> KeyRecord:
    """A new record from a POST body; an expiry already past is refused."""
    changes = _validated(body)
    expires_at = changes.get("expires_at")
    if expires_at is not None and expires_at <= now:
        raise InvalidRequest("expires_at is in the past.", param="expires_at")
    return KeyRecord(id=key_id, secret_hash=secret_hash, created_at=now, **changes)


def key_with_changes(record: KeyRecord, body: dict) -> KeyRecord:
    """`record` with the fields of a PATCH body applied."""
    return msgspec.structs.replace(record, **_validated(body))


def _validated(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    changes = {}
    for name, value in body.items():
        check = FIELDS.get(name)
        if check is None:
            raise InvalidRequest(f"Unknown field '{name}'.", param=name)
        changes[name] = check(name, value)
    return changes


def _models(name: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(m, str) and m for m in value):
        raise InvalidRequest(f"{name} must be a list of model names.", param=name)
    if len(value) > MAX_MODELS:
        raise InvalidRequest(f"{name} may list at most {MAX_MODELS} models.", param=name)
    return list(dict.fromkeys(value))  # duplicates dropped, order kept


def _positive_int(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidRequest(f"{name} must be a positive integer or null.", param=name)
    return value


def _budget(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if not _is_number(value) or value < 0:
        raise InvalidRequest(f"{name} must be a number of dollars >= 0 or null.", param=name)
    return float(value)


def _period(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or PERIOD_PATTERN.fullmatch(value) is None:
        message = f"{name} must be a period such as 45m, 12h, 30d, 1w or 1mo, or null."
        raise InvalidRequest(message, param=name)
    return value


def _expiry(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if _is_number(value) and value > 0:
        return float(value)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:  # no offset given: read as UTC, not the server's zone
                moment = moment.replace(tzinfo=UTC)
            return moment.timestamp()
    message = f"{name} must be unix seconds or an ISO 8601 date and time, or null."
    raise InvalidRequest(message, param=name)


def _metadata(name: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidRequest(f"{name} must be a JSON object.", param=name)
    try:
        size = len(msgspec.json.encode(value))
    except (TypeError, msgspec.EncodeError) as error:
        raise InvalidRequest(f"{name} must hold JSON values only.", param=name) from error
    if size > MAX_METADATA_BYTES:
        message = f"{name} is {size} bytes as JSON; at most {MAX_METADATA_BYTES} are allowed."
        raise InvalidRequest(message, param=name)
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


FIELDS: dict[str, Callable[[str, Any], Any]] = {
    "models": _models,
    "rpm": _positive_int,
    "tpm": _positive_int,
    "max_budget_usd": _budget,
    "budget_period": _period,
    "expires_at": _expiry,
    "metadata": _metadata,
}
