"""OpenAI-shaped error bodies: {"error": {"message", "type", "param", "code"}}."""

import orjson


class BadRequest(Exception):
    """A client error the handler answers with 400 and an OpenAI error body."""

    def __init__(self, body: bytes) -> None:
        super().__init__(body)
        self.body = body


def error_body(
    message: str,
    *,
    error_type: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> bytes:
    error = {"message": message, "type": error_type, "param": param, "code": code}
    return orjson.dumps({"error": error})


def invalid_url(method: str, path: str) -> bytes:
    return error_body(f"Invalid URL ({method} {path})")


def missing_parameter(name: str) -> BadRequest:
    return BadRequest(
        error_body(
            f"Missing required parameter: '{name}'.",
            param=name,
            code="missing_required_parameter",
        )
    )


def invalid_value(name: str, message: str) -> BadRequest:
    return BadRequest(error_body(message, param=name, code="invalid_value"))


MISSING_API_KEY = error_body(
    "You didn't provide an API key. You need to provide your API key in an Authorization "
    "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    code="invalid_api_key",
)

INVALID_JSON = error_body(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
    "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
    "sent was not valid JSON.)"
)

MISSING_MODEL = error_body("you must provide a model parameter")
