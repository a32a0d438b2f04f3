"""OpenAI embeddings requests as Gemini embedContent / batchEmbedContents, and back."""

from __future__ import annotations

import base64
import struct

import orjson
import pytest

from ferrogate.errors import InvalidRequest
from ferrogate.providers.gemini.embeddings import embedding_request, embeddings_body


def test_one_string_uses_embed_content():
    request = embedding_request({"model": "e", "input": "hello", "dimensions": 8}, "text-004")

    assert not request.batch
    assert orjson.loads(request.body) == {
        "content": {"parts": [{"text": "hello"}]},
        "outputDimensionality": 8,
    }


def test_a_list_uses_batch_embed_contents_with_the_model_in_each_request():
    request = embedding_request({"model": "e", "input": ["a", "b"]}, "text-004")

    assert request.batch
    assert orjson.loads(request.body) == {
        "requests": [
            {"model": "models/text-004", "content": {"parts": [{"text": "a"}]}},
            {"model": "models/text-004", "content": {"parts": [{"text": "b"}]}},
        ]
    }


@pytest.mark.parametrize("value", [[1, 2, 3], [[1, 2]], [], None, 5])
def test_token_arrays_and_other_inputs_are_refused(value):
    with pytest.raises(InvalidRequest) as caught:
        embedding_request({"model": "e", "input": value}, "m")

    assert caught.value.param == "input"


@pytest.mark.parametrize(
    ("field", "value"), [("encoding_format", "int8"), ("dimensions", 0), ("dimensions", "8")]
)
def test_bad_options_are_refused_with_the_param_named(field, value):
    with pytest.raises(InvalidRequest) as caught:
        embedding_request({"model": "e", "input": "x", field: value}, "m")

    assert caught.value.param == field


def test_single_embedding_becomes_an_openai_list_with_gemini_usage():
    request = embedding_request({"model": "e", "input": "hello"}, "m")
    reply = {"embedding": {"values": [0.6, -0.8]}, "usageMetadata": {"promptTokenCount": 3}}

    body = orjson.loads(embeddings_body(request, reply, "m"))

    assert body == {
        "object": "list",
        "data": [{"object": "embedding", "index": 0, "embedding": [0.6, -0.8]}],
        "model": "m",
        "usage": {"prompt_tokens": 3, "total_tokens": 3},
    }


def test_shortened_vectors_are_scaled_to_unit_length():
    request = embedding_request({"model": "e", "input": "x", "dimensions": 2}, "m")
    reply = {"embedding": {"values": [3.0, 4.0]}}

    body = orjson.loads(embeddings_body(request, reply, "m"))

    assert body["data"][0]["embedding"] == pytest.approx([0.6, 0.8])


def test_batch_keeps_order_and_estimates_tokens_when_gemini_gives_none():
    request = embedding_request({"model": "e", "input": ["a" * 40, "b"]}, "m")
    reply = {"embeddings": [{"values": [1.0, 0.0]}, {"values": [0.0, -2.0]}]}

    body = orjson.loads(embeddings_body(request, reply, "m"))

    assert [(d["index"], d["embedding"]) for d in body["data"]] == [
        (0, [1.0, 0.0]),
        (1, [0.0, -1.0]),
    ]
    assert body["usage"] == {"prompt_tokens": 11, "total_tokens": 11}


def test_base64_is_little_endian_float32():
    request = embedding_request({"model": "e", "input": "x", "encoding_format": "base64"}, "m")
    reply = {"embedding": {"values": [0.0, -0.6, 0.8]}}

    encoded = orjson.loads(embeddings_body(request, reply, "m"))["data"][0]["embedding"]

    assert struct.unpack("<3f", base64.b64decode(encoded)) == pytest.approx((0.0, -0.6, 0.8))
