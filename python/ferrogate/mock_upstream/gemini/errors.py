"""Google's error bodies, pretty-printed as Google sends them, with the statuses it uses."""

import orjson

HELP = "https://developers.generativeai.google/guide/troubleshooting"
_ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
_DOMAIN = {"domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}}


class GoogleError(Exception):
    """Answered with `status` and a Google error body."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def error_body(code: int, status: str, message: str, details: list[dict] | None = None) -> bytes:
    error: dict[str, object] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = details
    return orjson.dumps({"error": error}, option=orjson.OPT_INDENT_2) + b"\n"


def invalid_argument(message: str) -> GoogleError:
    return GoogleError(400, error_body(400, "INVALID_ARGUMENT", message))


def not_found(what: str) -> bytes:
    return error_body(404, "NOT_FOUND", f"{what} is not found for API version v1beta.")


# No key at all: Google does not know the caller, so 403 rather than 401.
UNREGISTERED_CALLER = error_body(
    403,
    "PERMISSION_DENIED",
    "Method doesn't allow unregistered callers (callers without established identity). "
    "Please use API Key or other form of API consumer identity to call this API.",
)

_BAD_KEY = "API key not valid. Please pass a valid API key."

# The scenario's "[error:NNN]" as Gemini would fail: (HTTP status, body).
SCENARIO_ERRORS: dict[int, tuple[int, bytes]] = {
    400: (400, error_body(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")),
    # Gemini answers a bad key with 400, not 401; the reason tells them apart.
    401: (
        400,
        error_body(
            400,
            "INVALID_ARGUMENT",
            _BAD_KEY,
            [
                {"@type": _ERROR_INFO, "reason": "API_KEY_INVALID", **_DOMAIN},
                {
                    "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                    "locale": "en-US",
                    "message": _BAD_KEY,
                },
            ],
        ),
    ),
    429: (
        429,
        error_body(
            429,
            "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details.",
            [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"}],
        ),
    ),
    500: (500, error_body(500, "INTERNAL", f"An internal error has occurred. See {HELP}")),
    # Gemini has no 529: an overloaded model is 503 UNAVAILABLE.
    529: (503, error_body(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")),
}

MIDSTREAM_ERROR = SCENARIO_ERRORS[529][1]


def missing_signature() -> GoogleError:
    return invalid_argument(
        "Function call is missing a thought_signature in functionCall parts. This is required "
        "for tools to work correctly, and missing thought_signature may lead to degraded "
        "model performance."
    )
