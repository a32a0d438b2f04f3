"""Anthropic's error bodies: {"type": "error", "error": {"type", "message"}, "request_id"}."""

import orjson

# status -> (error type, message), as the Messages API answers them
ERRORS = {
    400: ("invalid_request_error", "Your request was rejected as invalid."),
    401: ("authentication_error", "invalid x-api-key"),
    403: ("permission_error", "Your API key does not have permission to use this resource."),
    404: ("not_found_error", "Not Found"),
    413: ("request_too_large", "Request exceeds the maximum allowed number of bytes."),
    429: ("rate_limit_error", "Number of requests has exceeded your per-minute rate limit."),
    500: ("api_error", "Internal server error"),
    529: ("overloaded_error", "Overloaded"),
}


class AnthropicRequestError(Exception):
    """A request the mock refuses the way Anthropic would: status and message."""

    def __init__(self, status: int, message: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error_type, default_message = ERRORS[status]
        self.message = message or default_message

    def body(self, request_id: str) -> bytes:
        return orjson.dumps({**self._payload(), "request_id": request_id})

    def event(self) -> bytes:
        """The same error as a mid-stream SSE event (which carries no request id)."""
        return b"event: error\ndata: " + orjson.dumps(self._payload()) + b"\n\n"

    def _payload(self) -> dict[str, object]:
        return {"type": "error", "error": {"type": self.error_type, "message": self.message}}
