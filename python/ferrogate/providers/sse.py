"""OpenAI stream events the gateway writes itself."""

from __future__ import annotations

import orjson

from ferrogate.core import frame_event

DONE = b"data: [DONE]\n\n"


def error_event(message: str, code: str, error_type: str = "upstream_error") -> bytes:
    # Written after the first byte instead of a silent end, so clients can tell a cut
    # stream from a finished one; OpenAI's SDKs raise on an `error` payload.
    error = {"message": message, "type": error_type, "param": None, "code": code}
    return frame_event(orjson.dumps({"error": error}))
