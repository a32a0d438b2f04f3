"""Ids shaped like Anthropic's (`msg_01…`, `toolu_01…`, `req_01…`): 24 characters after the
prefix, a random per-process part and a counter, so ids never repeat within a run."""

import itertools
import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


class AnthropicIds:
    def __init__(self) -> None:
        self._random = "01" + "".join(secrets.choice(_ALPHABET) for _ in range(12))
        self._counter = itertools.count()

    def next(self, prefix: str) -> str:
        return f"{prefix}_{self._random}{next(self._counter):010d}"
