"""Load a request body that must be one JSON object, refusing anything else as OpenAI does."""

from __future__ import annotations

from typing import Any

import orjson

from ferrogate.errors import InvalidRequest


def load_json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidRequest(
            "We could not parse the JSON body of your request. The body must be valid JSON."
        ) from None
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    return body
