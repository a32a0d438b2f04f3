"""OpenAI's answers to the scenario's `[error:NNN]`, and its mid-stream error event.

An answer is (status, extra headers, body). 529 is Anthropic's "overloaded"; OpenAI has no
such status, and a proxy in front of it answers 503, so the OpenAI mock does the same.
"""

from collections.abc import Mapping

import orjson

from .errors import error_body

Headers = list[tuple[str, str]]
ErrorAnswer = tuple[int, Headers, bytes]

SERVER_ERROR = "The server had an error while processing your request. Sorry about that!"

OPENAI_ERRORS: Mapping[int, ErrorAnswer] = {
    400: (
        400,
        [],
        error_body(
            "Invalid value for 'messages': the prompt asked the mock for [error:400].",
            param="messages",
            code="invalid_value",
        ),
    ),
    401: (
        401,
        [],
        error_body(
            "Incorrect API key provided: sk-mock***. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            code="invalid_api_key",
        ),
    ),
    429: (
        429,
        [
            ("retry-after", "1"),
            ("x-ratelimit-limit-requests", "500"),
            ("x-ratelimit-remaining-requests", "0"),
            ("x-ratelimit-reset-requests", "1s"),
        ],
        error_body(
            "Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1. "
            "Please try again in 1s.",
            error_type="requests",
            code="rate_limit_exceeded",
        ),
    ),
    500: (500, [], error_body(SERVER_ERROR, error_type="server_error")),
    529: (
        503,
        [],
        error_body(
            "The engine is currently overloaded, please try again later.",
            error_type="server_error",
            code="overloaded",
        ),
    ),
}

_MIDSTREAM_ERROR = {"message": SERVER_ERROR, "type": "server_error", "param": None, "code": None}
MIDSTREAM_ERROR_EVENT = b"data: " + orjson.dumps({"error": _MIDSTREAM_ERROR}) + b"\n\n"
