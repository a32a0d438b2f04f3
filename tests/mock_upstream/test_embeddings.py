import base64
import json
import math
from array import array

import pytest


@pytest.fixture
def raw_embeddings(mock_url, raw_http, auth_headers):
    def embeddings(**fields) -> dict:
        body = json.dumps({"model": "text-embedding-3-small", **fields}).encode()
        response = raw_http(f"{mock_url}/v1/embeddings", body, auth_headers)
        assert response.status == 200
        return response.json()

    return embeddings


def test_float_embeddings_are_unit_vectors_of_1536_dims(client):
    result = client.embeddings.create(
        model="text-embedding-3-small", input=["first", "second"], encoding_format="float"
    )

    assert result.object == "list"
    assert result.model == "text-embedding-3-small"
    assert [item.index for item in result.data] == [0, 1]
    for item in result.data:
        assert len(item.embedding) == 1536
        assert math.isclose(math.fsum(x * x for x in item.embedding), 1.0, rel_tol=1e-4)
    assert result.usage.total_tokens == result.usage.prompt_tokens > 0


def test_embeddings_are_deterministic_per_input(client):
    def embed(text: str) -> list[float]:
        result = client.embeddings.create(model="e", input=text, encoding_format="float")
        return result.data[0].embedding

    assert embed("same text") == embed("same text")
    assert embed("same text") != embed("other text")


def test_base64_embedding_decodes_to_the_float_embedding(raw_embeddings):
    floats = raw_embeddings(input="hello", encoding_format="float")
    encoded = raw_embeddings(input="hello", encoding_format="base64")

    decoded = array("f", base64.b64decode(encoded["data"][0]["embedding"]))
    assert decoded == array("f", floats["data"][0]["embedding"])


def test_sdk_default_base64_path_matches_float(client):
    # The SDK asks for base64 unless told otherwise and decodes it itself.
    default = client.embeddings.create(model="e", input="hello").data[0].embedding
    floats = client.embeddings.create(model="e", input="hello", encoding_format="float")

    assert array("f", default) == array("f", floats.data[0].embedding)


@pytest.mark.parametrize("tokens", [[1, 2, 3], [[1, 2, 3], [4, 5]]])
def test_token_array_inputs_are_accepted(raw_embeddings, tokens):
    result = raw_embeddings(input=tokens)

    expected = 1 if isinstance(tokens[0], int) else len(tokens)
    assert len(result["data"]) == expected


def test_dimensions_parameter_sets_vector_length(raw_embeddings):
    result = raw_embeddings(input="hello", dimensions=256)

    assert len(result["data"][0]["embedding"]) == 256
