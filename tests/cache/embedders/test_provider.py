"""OpenAIEmbedder through the real OpenAI provider against the real mock upstream."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import numpy as np
import pytest

from ferrogate.cache.embedders import EmbeddingShapeError, OpenAIEmbedder
from ferrogate.config import Deployment
from ferrogate.providers.openai import OpenAIProvider
from tests.support.gateway_stack import running_mock

MODEL = "text-embedding-3-small"
MOCK_WIDTH = 1536  # the mock's default for this model


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    with running_mock() as url:
        yield url


def _embed(mock_url: str, batches: list[list[str]], dim: int | None = None):
    """Embed each batch in turn with one embedder; return the embedder and the arrays."""

    async def run():
        deployment = Deployment(
            provider="openai", model=MODEL, base_url=f"{mock_url}/v1", api_key="sk-test"
        )
        provider = OpenAIProvider(deployment)
        embedder = OpenAIEmbedder(provider, MODEL, dim=dim)
        try:
            return embedder, [await embedder.embed(batch) for batch in batches]
        finally:
            await provider.aclose()

    return asyncio.run(run())


def test_width_is_learnt_from_the_first_answer_and_rows_are_unit(mock_url):
    embedder, [vectors] = _embed(mock_url, [["hello", "world", ""]])

    assert embedder.dim == MOCK_WIDTH
    assert vectors.shape == (3, MOCK_WIDTH)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_rows_follow_the_order_of_the_texts(mock_url):
    _, [forward, backward] = _embed(mock_url, [["first", "second"], ["second", "first"]])

    np.testing.assert_array_equal(forward, backward[::-1])
    assert float(forward[0] @ forward[1]) < 0.5


def test_a_width_other_than_the_given_one_is_a_named_error(mock_url):
    with pytest.raises(EmbeddingShapeError):
        _embed(mock_url, [["hello"]], dim=384)


def test_width_is_unknown_before_the_first_answer_unless_given():
    provider = OpenAIProvider(Deployment(provider="openai", model=MODEL, api_key="sk-test"))

    with pytest.raises(RuntimeError):
        _ = OpenAIEmbedder(provider, MODEL).dim
    assert OpenAIEmbedder(provider, MODEL, dim=256).dim == 256
    assert OpenAIEmbedder(provider, MODEL).name == f"openai/{MODEL}"
    asyncio.run(provider.aclose())
