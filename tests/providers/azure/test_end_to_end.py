"""Azure OpenAI deployments through the real gateway against the real mock upstream."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from tests.providers.openai import chat_checks
from tests.providers.openai.stack import Stack, running_stack

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


@pytest.mark.parametrize("check", chat_checks.CHAT_CHECKS, ids=lambda check: check.__name__)
def test_chat_behaves_like_openai(stack, check):
    check(stack.client(), MODEL)


def test_answer_names_the_deployment_and_the_provider(stack):
    raw = stack.client().chat.completions.with_raw_response.create(
        model=MODEL, messages=chat_checks.HI
    )

    assert raw.parse().model == "gpt-4o-deployment"
    assert raw.headers["x-ferrogate-provider"] == "azure"
    assert raw.headers["x-ferrogate-model"] == "gpt-4o-deployment"


@pytest.mark.parametrize(("asked", "status", "exception"), chat_checks.SDK_ERRORS)
def test_upstream_error_reaches_the_sdk_as_its_typed_exception(stack, asked, status, exception):
    chat_checks.upstream_error(stack.client(), MODEL, asked, status, exception)


@pytest.mark.parametrize(
    ("asked", "error_type", "code", "says"),
    [
        (401, "invalid_request_error", "invalid_api_key", "Access denied"),
        (429, "requests", "rate_limit_exceeded", "exceeded token rate limit"),
    ],
)
def test_front_door_errors_get_openai_type_and_code(stack, asked, error_type, code, says):
    messages = [{"role": "user", "content": f"[error:{asked}]"}]

    with pytest.raises(openai.APIStatusError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert (caught.value.body["type"], caught.value.body["code"]) == (error_type, code)
    assert says in caught.value.body["message"]  # Azure's own words are kept


def test_content_filter_refusal_is_a_400_with_code_content_filter(stack):
    messages = [{"role": "user", "content": "[error:400] [safety] something awful"}]

    with pytest.raises(openai.BadRequestError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert caught.value.body["code"] == "content_filter"
    assert caught.value.body["type"] == "invalid_request_error"
    assert caught.value.body["param"] == "prompt"


def test_unsupported_api_version_is_a_400_from_azure(stack):
    with pytest.raises(openai.BadRequestError) as caught:
        stack.client().chat.completions.create(
            model="azure-unknown-version", messages=chat_checks.HI
        )

    assert caught.value.body["message"] == "API version not supported"
