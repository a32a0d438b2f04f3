"""Reading JSON an upstream sent, whose shape nobody has checked.

Upstreams follow their API's schema, but a proxy, a new API version or a fault can put a
list where an object belongs. A field of the wrong type reads as absent, as a missing one
already does, so the answer still reaches the client instead of a 500. The payload itself
(an embedding vector) is checked by its reader and refused with a 502 instead.
"""

from __future__ import annotations

from typing import Any

# Past 2^53 a count is no real count, and sums of such could outgrow the 64-bit integers
# orjson writes.
_MAX_COUNT = 2**53


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def mappings(value: Any) -> list[dict[str, Any]]:
    """The objects of a list, skipping anything else in it."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def count(value: Any) -> int:
    """A token count or an index: an integer from 0 to 2^53, else 0."""
    is_int = isinstance(value, int) and not isinstance(value, bool)
    return value if is_int and 0 <= value <= _MAX_COUNT else 0
