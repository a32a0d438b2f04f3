"""What only Azure OpenAI shows through the real gateway against the real mock upstream.

The scenarios every provider shares are in tests/conformance/.
"""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from tests.conformance.scenarios import HI
from tests.support.gateway_stack import Stack, running_stack

MODEL = "azure-gpt"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    def deployments(mock_url: str) -> dict:
        azure = {"provider": "azure", "model": "gpt-4o-deployment", "base_url": mock_url}
        return {
            MODEL: azure,
            "azure-unknown-version": {**azure, "api_version": "someday"},
        }

    with running_stack(deployments, tmp_path_factory.mktemp("azure-e2e")) as running:
        yield running


@pytest.mark.parametrize(
    ("asked", "error_type", "code", "says"),
    [
        # Not Azure's words for a 401: an upstream's refusal may quote the gateway's key.
        (401, "invalid_request_error", "invalid_api_key", "refused the gateway's credentials"),
        (429, "requests", "rate_limit_exceeded", "exceeded token rate limit"),
    ],
)
def test_front_door_errors_get_openai_type_and_code(stack, asked, error_type, code, says):
    messages = [{"role": "user", "content": f"[error:{asked}]"}]

    with pytest.raises(openai.APIStatusError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert (caught.value.body["type"], caught.value.body["code"]) == (error_type, code)
    assert says in caught.value.body["message"]


def test_content_filter_refusal_is_a_400_with_code_content_filter(stack):
    messages = [{"role": "user", "content": "[error:400] [safety] something awful"}]

    with pytest.raises(openai.BadRequestError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert caught.value.body["code"] == "content_filter"
    assert caught.value.body["type"] == "invalid_request_error"
    assert caught.value.body["param"] == "prompt"


def test_unsupported_api_version_is_a_400_from_azure(stack):
    with pytest.raises(openai.BadRequestError) as caught:
        stack.client().chat.completions.create(model="azure-unknown-version", messages=HI)

    assert caught.value.body["message"] == "API version not supported"
