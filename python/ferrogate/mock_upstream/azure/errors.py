"""Azure OpenAI's own error answers.

Errors from Azure's front door (auth, routing, quota) are `{"error": {"code", "message"}}`
with no type; errors from the model service are OpenAI's, plus the content filter's 400.
"""

import orjson

from ..scenario import Ask
from ..scenario_errors import OPENAI_ERRORS, ErrorAnswer


def _front_door(code: str, message: str) -> bytes:
    return orjson.dumps({"error": {"code": code, "message": message}})


ACCESS_DENIED = _front_door(
    "401",
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
    "provide a valid key for an active subscription and use a correct regional API "
    "endpoint for your resource.",
)
# What Azure answers for a URL without api-version, as for any unknown resource.
RESOURCE_NOT_FOUND = _front_door("404", "Resource not found")
API_VERSION_NOT_SUPPORTED = _front_door("BadRequest", "API version not supported")

_RATE_LIMITED = _front_door(
    "429",
    "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version "
    "2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. "
    "Please retry after 1 second.",
)
_FILTER_RESULT = {
    "hate": {"filtered": False, "severity": "safe"},
    "jailbreak": {"filtered": False, "detected": False},
    "self_harm": {"filtered": False, "severity": "safe"},
    "sexual": {"filtered": False, "severity": "safe"},
    "violence": {"filtered": True, "severity": "medium"},
}
CONTENT_FILTERED = orjson.dumps(
    {
        "error": {
            "message": "The response was filtered due to the prompt triggering Azure OpenAI's "
            "content management policy. Please modify your prompt and retry.",
            "type": None,
            "param": "prompt",
            "code": "content_filter",
            "status": 400,
            "innererror": {
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_result": _FILTER_RESULT,
            },
        }
    }
)

_AZURE_ERRORS: dict[int, ErrorAnswer] = {
    401: (401, [], ACCESS_DENIED),
    429: (429, [("retry-after", "1"), ("retry-after-ms", "1000")], _RATE_LIMITED),
}


def azure_error_answer(status: int, ask: Ask) -> ErrorAnswer:
    # "[error:400]" with "[safety]" is the content filter refusing the prompt.
    if status == 400 and "[safety]" in ask.text:
        return 400, [], CONTENT_FILTERED
    return _AZURE_ERRORS.get(status) or OPENAI_ERRORS[status]
