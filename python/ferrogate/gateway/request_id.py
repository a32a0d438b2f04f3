"""x-request-id: echo a sane client value, otherwise make one."""

from __future__ import annotations

import os
from collections.abc import Mapping

_MAX_LENGTH = 128


def request_id_for(headers: Mapping[str, str]) -> str:
    given = headers.get("x-request-id")
    if given and len(given) <= _MAX_LENGTH and given.isascii() and given.isprintable():
        return given
    return f"req_{os.urandom(12).hex()}"
