"""The OpenAI adapter through the real gateway against the real mock upstream."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from . import chat_checks
from .stack import Stack, running_stack

MODEL = "gpt"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    def deployments(mock_url: str) -> dict:
        return {MODEL: {"provider": "openai", "model": "gpt-4o", "base_url": f"{mock_url}/v1"}}

    with running_stack(deployments, tmp_path_factory.mktemp("openai-e2e")) as running:
        yield running


@pytest.mark.parametrize("check", chat_checks.CHAT_CHECKS, ids=lambda check: check.__name__)
def test_chat_behaves_like_openai(stack, check):
    check(stack.client(), MODEL)


@pytest.mark.parametrize(("asked", "status", "exception"), chat_checks.SDK_ERRORS)
def test_upstream_error_reaches_the_sdk_as_its_typed_exception(stack, asked, status, exception):
    chat_checks.upstream_error(stack.client(), MODEL, asked, status, exception)


def test_upstream_error_keeps_openai_type_and_code(stack):
    with pytest.raises(openai.RateLimitError) as caught:
        stack.client().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "[error:429]"}]
        )

    assert caught.value.body["code"] == "rate_limit_exceeded"
    assert caught.value.body["type"] == "requests"
