"""Every failure a client can see, as one exception tree rendered in OpenAI's error shape.

Stages raise these; the gateway turns them into responses in one place (`render`).
`retryable` tells the router (later) whether another deployment may be tried.
"""

from __future__ import annotations

import math

import orjson


class GatewayError(Exception):
    status = 500
    type = "server_error"
    code: str | None = "internal_error"
    retryable = False
    # Set by the router when routing failed: the upstream attempts made first, for the
    # request's record (usage log, traces, the dashboard's per-deployment error rates).
    attempts = 0
    attempt_log: list[tuple[str, str, float, float, str | None]] = []  # noqa: RUF012

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.param = param
        self.headers: list[tuple[str, str]] = []  # extra response headers, e.g. `allow`
        if code is not None:
            self.code = code

    def body(self) -> bytes:
        error = {"message": self.message, "type": self.type, "param": self.param, "code": self.code}
        return orjson.dumps({"error": error})


class InvalidRequest(GatewayError):
    status = 400
    type = "invalid_request_error"
    code = None


class AuthenticationFailed(GatewayError):
    status = 401
    type = "invalid_request_error"
    code = "invalid_api_key"


class NotFound(GatewayError):
    status = 404
    type = "invalid_request_error"
    code = "not_found"


class ModelNotFound(NotFound):
    code = "model_not_found"


class MethodNotAllowed(GatewayError):
    status = 405
    type = "invalid_request_error"
    code = "method_not_allowed"


class PayloadTooLarge(GatewayError):
    status = 413
    type = "invalid_request_error"
    code = "request_too_large"


class UpstreamError(GatewayError):
    """The provider answered with an error; its status and message are passed on."""

    type = "upstream_error"
    code = "upstream_error"

    def __init__(self, message: str, *, status: int, provider: str, upstream_body: bytes = b""):
        if status == 401:
            # An upstream's own words here quote the gateway's credential (OpenAI's "Incorrect
            # API key provided: sk-proj-abc...wxyz"): a key holder must never read them.
            message = f"{provider} refused the gateway's credentials for this deployment."
        super().__init__(message)
        # Only an error status passes on: a redirect or a 2xx a proxy in front of the
        # upstream sent where an answer was due is the upstream failing, a 502 to the client.
        self.status = status if 400 <= status <= 599 else 502
        self.provider = provider
        self.upstream_body = upstream_body
        self.retryable = self.status == 429 or self.status >= 500


class UpstreamUnreachable(GatewayError):
    """Connection refused or reset before an answer: 502."""

    status = 502
    type = "upstream_error"
    code = "upstream_unreachable"
    retryable = True


class UpstreamTimeout(GatewayError):
    status = 504
    type = "upstream_error"
    code = "upstream_timeout"
    retryable = True


class PermissionDenied(GatewayError):
    """The key is valid but may not do this, e.g. use a model outside its list: 403."""

    status = 403
    type = "invalid_request_error"
    code = "model_not_allowed"


class RateLimited(GatewayError):
    """A request or token bucket is empty: 429 with `retry-after` in whole seconds."""

    status = 429
    type = "requests"
    code = "rate_limit_exceeded"

    def __init__(self, message: str, *, retry_after_s: float, type: str = "requests"):
        super().__init__(message)
        self.type = type
        self.retry_after_s = retry_after_s
        if math.isfinite(retry_after_s):  # infinite: the request can never fit the limit
            self.headers.append(("retry-after", str(max(1, math.ceil(retry_after_s)))))


class BudgetExceeded(GatewayError):
    status = 429
    type = "insufficient_quota"
    code = "insufficient_quota"


class ServiceUnavailable(GatewayError):
    status = 503
    type = "server_error"
    code = "service_unavailable"
