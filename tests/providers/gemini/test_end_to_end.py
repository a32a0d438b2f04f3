"""What only the Gemini adapter shows through the real gateway (Granian) and the mock.

The scenarios every provider shares are in tests/conformance/.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import openai
import pytest

from tests.conformance.scenarios import HI
from tests.support.gateway_stack import Stack, running_stack

MODEL = "gemini"
EMBEDDER = "gemini-embedder"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    def deployments(mock_url: str) -> dict:
        gemini = {"provider": "gemini", "model": "gemini-test", "base_url": f"{mock_url}/v1beta"}
        return {MODEL: gemini, EMBEDDER: {**gemini, "model": "text-embedding-004"}}

    with running_stack(deployments, tmp_path_factory.mktemp("gemini-e2e")) as running:
        yield running


def test_an_invalid_key_answer_is_an_authentication_error_in_the_gateways_words(stack):
    messages = [{"role": "user", "content": "[error:401]"}]

    with pytest.raises(openai.AuthenticationError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert caught.value.body["message"] == (
        "gemini refused the gateway's credentials for this deployment."
    )


def test_quota_error_carries_googles_retry_delay(stack):
    messages = [{"role": "user", "content": "[error:429]"}]

    with pytest.raises(openai.RateLimitError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert caught.value.response.headers["retry-after"] == "7"


def test_mid_stream_failure_passes_on_googles_words(stack):
    messages = [{"role": "user", "content": "[midstream-error] go"}]
    stream = stack.client().chat.completions.create(model=MODEL, messages=messages, stream=True)

    with pytest.raises(openai.APIError, match="overloaded"):
        for _ in stream:
            pass


def test_tool_call_replayed_without_its_id_is_refused_by_gemini(stack):
    # The id carries Gemini's thought signature; a made-up id loses it, as Gemini 3 rejects.
    call = {"id": "call_made_up", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    messages = [
        *HI,
        {"role": "assistant", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_made_up", "content": "x"},
    ]

    with pytest.raises(openai.BadRequestError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert "thought_signature" in caught.value.body["message"]


def test_embeddings_come_back_in_either_encoding_with_the_asked_dimensions(stack):
    client = stack.client()

    packed = client.embeddings.create(model=EMBEDDER, input="hello world")  # SDK asks base64
    floats = client.embeddings.create(
        model=EMBEDDER, input=["hello world", "other"], dimensions=16, encoding_format="float"
    )
    full = client.embeddings.create(model=EMBEDDER, input=["hello world"], encoding_format="float")

    assert len(packed.data[0].embedding) == 768
    assert np.allclose(packed.data[0].embedding, full.data[0].embedding, atol=1e-7)
    assert np.isclose(np.linalg.norm(packed.data[0].embedding), 1.0, atol=1e-5)
    assert [(d.index, len(d.embedding)) for d in floats.data] == [(0, 16), (1, 16)]
    assert floats.data[0].embedding != floats.data[1].embedding
    assert (packed.usage.prompt_tokens, floats.usage.prompt_tokens) == (2, 3)
    assert packed.model == "text-embedding-004"


def test_embedding_token_arrays_are_refused(stack):
    with pytest.raises(openai.BadRequestError) as caught:
        stack.client().embeddings.create(model=EMBEDDER, input=[[1, 2, 3]])

    assert caught.value.body["param"] == "input"
