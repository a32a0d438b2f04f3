"""The local MiniLM embedder: shape, unit rows, meaning, and refusal of a changed model file."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator

import numpy as np
import pytest

from ferrogate.cache.embedders import LocalEmbedder, ModelIntegrityError
from ferrogate.cache.embedders.model_files import installed_model
from tests.support.dev_pairs import load_dev_pairs


@pytest.fixture(scope="module")
def embedder() -> Iterator[LocalEmbedder]:
    local = LocalEmbedder()
    yield local
    local.close()


def _embed(embedder: LocalEmbedder, texts: list[str]) -> np.ndarray:
    return asyncio.run(embedder.embed(texts))


def test_one_unit_float32_row_of_384_per_text(embedder):
    vectors = _embed(embedder, ["What is 2+2?", "Tell me a joke.", "Bonjour"])

    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    assert vectors.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_text_gets_the_same_vector_every_time_alone_or_in_a_batch(embedder):
    text = "How do I reset my password?"

    alone = _embed(embedder, [text])[0]
    again = _embed(embedder, [text])[0]
    batched = _embed(embedder, ["a much longer neighbour that forces padding " * 5, text])[1]

    np.testing.assert_array_equal(alone, again)
    np.testing.assert_allclose(alone, batched, atol=1e-5)


def test_each_dev_paraphrase_is_nearest_to_its_own_partner(embedder):
    pairs = load_dev_pairs()
    paraphrases = [pair for pair in pairs if pair["kind"] == "paraphrase"]

    firsts = _embed(embedder, [pair["a"] for pair in paraphrases])
    seconds = _embed(embedder, [pair["b"] for pair in paraphrases])
    nearest = (firsts @ seconds.T).argmax(axis=1)

    assert list(nearest) == list(range(len(paraphrases)))


def test_empty_string_still_gives_a_unit_vector(embedder):
    vector = _embed(embedder, [""])[0]

    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_no_texts_give_no_rows(embedder):
    assert _embed(embedder, []).shape == (0, 384)


def test_text_past_the_token_limit_is_cut_not_refused(embedder):
    long_text = "the cache compares meaning " * 400
    cut = "the cache compares meaning " * 100  # both far past 256 tokens

    vectors = _embed(embedder, [long_text, cut])

    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-5)


def test_the_event_loop_keeps_running_while_a_batch_is_embedded(embedder):
    async def count_loop_turns_during_embedding() -> int:
        turns = 0
        task = asyncio.create_task(embedder.embed(["a sentence to embed " * 20] * 16))
        while not task.done():
            turns += 1
            await asyncio.sleep(0)
        await task
        return turns

    assert asyncio.run(count_loop_turns_during_embedding()) > 1


def test_a_changed_model_file_is_refused_with_a_named_error(tmp_path):
    tampered = tmp_path / "model.onnx"
    shutil.copyfile(installed_model(), tampered)
    with tampered.open("r+b") as file:
        file.seek(1000)
        byte = file.read(1)
        file.seek(1000)
        file.write(bytes([byte[0] ^ 0xFF]))
    local = LocalEmbedder(model_path=tampered)

    with pytest.raises(ModelIntegrityError) as caught:
        asyncio.run(local.warm_up())
    local.close()

    assert caught.value.path == tampered
    assert caught.value.actual != caught.value.expected


def test_warm_up_loads_the_model_before_the_first_request():
    local = LocalEmbedder()
    assert not local.loaded

    asyncio.run(local.warm_up())

    assert local.loaded
    local.close()
