"""Azure's error answers in OpenAI's shape.

Errors from the model service are already OpenAI-shaped and pass as they are. Errors from
Azure's front door (auth, quota, routing) carry no `type` and a bare code such as "401"
or "429"; they get the type and code OpenAI would send with that status, so clients that
branch on `code` see the same values as from OpenAI. The content filter's refusal (400,
code `content_filter`, type null) keeps its code and becomes an `invalid_request_error`:
the prompt, not the server, is at fault, and a retry would be refused again.
"""

from __future__ import annotations

from ferrogate.errors import UpstreamError
from ferrogate.providers.openai.errors import upstream_error

# status -> (type, code) as OpenAI sends them; Azure's front door sends neither.
_OPENAI_BY_STATUS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "permission_denied"),
    404: ("invalid_request_error", "not_found"),
    408: ("server_error", "timeout"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
    503: ("server_error", "overloaded"),
}
# What the front door puts in `code`: the status itself, or its reason phrase.
_FRONT_DOOR_CODES = frozenset({"Unauthorized", "PermissionDenied", "NotFound", "BadRequest"})


def azure_error(status: int, body: bytes, provider: str) -> UpstreamError:
    error = upstream_error(status, body, provider)
    if error.type != UpstreamError.type:
        return error  # the body named its own type: an OpenAI-shaped answer
    fallback = ("invalid_request_error" if status < 500 else "server_error", None)
    openai_type, openai_code = _OPENAI_BY_STATUS.get(status, fallback)
    error.type = openai_type
    if error.code == str(status) or error.code in _FRONT_DOOR_CODES:
        error.code = openai_code
    return error
