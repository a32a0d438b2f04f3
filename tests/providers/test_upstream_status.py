"""An upstream's non-error status where an answer was due is a 502, from every provider."""

from __future__ import annotations

import orjson
import pytest

from ferrogate.providers.anthropic.errors import upstream_error as anthropic_error
from ferrogate.providers.gemini.errors import upstream_error as gemini_error
from ferrogate.providers.openai.errors import upstream_error as openai_error

MAKERS = {
    "openai": lambda status: openai_error(status, b"", "openai"),
    "anthropic": lambda status: anthropic_error(status, b"", "anthropic"),
    "gemini": lambda status: gemini_error(status, b""),
}


@pytest.mark.parametrize("provider", MAKERS)
@pytest.mark.parametrize("status", [100, 204, 302, 304, 999])
def test_a_status_that_is_not_an_error_reaches_the_client_as_502(provider, status):
    error = MAKERS[provider](status)

    assert (error.status, error.retryable) == (502, True)


@pytest.mark.parametrize("provider", MAKERS)
@pytest.mark.parametrize("status", [400, 404, 429, 500, 503])
def test_error_statuses_pass_on_unchanged(provider, status):
    assert MAKERS[provider](status).status == status


@pytest.mark.parametrize("provider", MAKERS)
def test_an_upstreams_401_words_never_reach_the_client(provider):
    # OpenAI's own 401 quotes the start and end of the key it was sent.
    words = "Incorrect API key provided: sk-proj-abc1********************wxyz."
    bodies = {
        "openai": {"error": {"message": words, "type": "invalid_request_error"}},
        "anthropic": {"type": "error", "error": {"type": "authentication_error", "message": words}},
        "gemini": {"error": {"code": 401, "message": words, "status": "UNAUTHENTICATED"}},
    }
    body = orjson.dumps(bodies[provider])
    if provider == "gemini":
        error = gemini_error(401, body)
    else:
        error = {"openai": openai_error, "anthropic": anthropic_error}[provider](
            401, body, provider
        )

    assert error.status == 401
    assert b"sk-proj" not in error.body() and "sk-proj" not in error.message
    assert "refused the gateway's credentials" in error.message
