"""x-request-id: echo a sane client value, otherwise make one.

The id goes into every log line, usage record and trace of the request, and back out in
a header, so only a short run of characters that cannot forge or colour a log line is
kept: letters, digits and the punctuation of UUIDs, base64 and trace ids (AWS's
`Root=1-...;Sampled=1`). Control characters (CR/LF, ANSI escapes), spaces, quotes,
non-ASCII and anything over 128 characters get a fresh id instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

_SANE = re.compile(r"[A-Za-z0-9._:;,/+=@~-]{1,128}")


def request_id_for(headers: Mapping[str, str]) -> str:
    given = headers.get("x-request-id")
    if given and _SANE.fullmatch(given):
        return given
    return f"req_{os.urandom(12).hex()}"
