"""What only the OpenAI adapter shows through the real gateway against the real mock upstream.

The scenarios every provider shares are in tests/conformance/.
"""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from tests.support.gateway_stack import Stack, running_stack

MODEL = "gpt"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    def deployments(mock_url: str) -> dict:
        return {MODEL: {"provider": "openai", "model": "gpt-4o", "base_url": f"{mock_url}/v1"}}

    with running_stack(deployments, tmp_path_factory.mktemp("openai-e2e")) as running:
        yield running


def test_upstream_error_keeps_openai_type_and_code(stack):
    with pytest.raises(openai.RateLimitError) as caught:
        stack.client().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "[error:429]"}]
        )

    assert caught.value.body["code"] == "rate_limit_exceeded"
    assert caught.value.body["type"] == "requests"
