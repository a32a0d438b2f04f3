"""POST /v1/embeddings: passthrough to OpenAI and Azure deployments, and its refusals."""

from __future__ import annotations

import json

import pytest

from ferrogate.errors import InvalidRequest
from ferrogate.gateway.embeddings_request import MAX_INPUTS, parse_embeddings_request

from .raw import post_json

TEXTS = ["the first text", "the second text"]


def _embed(gateway, payload):
    return post_json(f"{gateway.url}/v1/embeddings", payload)


@pytest.mark.parametrize("model", ["mock-embed", "azure-embed"])
def test_float_embeddings_come_back_with_the_serving_deployment_named(gateway, model):
    raw = gateway.client().embeddings.with_raw_response.create(
        model=model, input=TEXTS, encoding_format="float"
    )

    result = raw.parse()
    assert [item.index for item in result.data] == [0, 1]
    assert all(len(item.embedding) == 1536 for item in result.data)
    assert result.usage.total_tokens > 0
    assert raw.headers["x-ferrogate-provider"] == ("azure" if model == "azure-embed" else "openai")
    assert float(raw.headers["x-ferrogate-overhead-ms"]) >= 0


@pytest.mark.parametrize("model", ["mock-embed", "azure-embed"])
def test_base64_embeddings_decode_to_the_float_ones(gateway, model):
    client = gateway.client()
    floats = client.embeddings.create(model=model, input=TEXTS, encoding_format="float")

    # Without encoding_format the SDK asks for base64 and decodes it itself.
    decoded = client.embeddings.create(model=model, input=TEXTS)

    for plain, packed in zip(floats.data, decoded.data, strict=True):
        assert packed.embedding == pytest.approx(plain.embedding, abs=1e-6)


def test_openai_and_azure_deployments_embed_alike(gateway):
    client = gateway.client()
    options = {"input": "same words", "encoding_format": "float", "dimensions": 64}

    openai_vector = client.embeddings.create(model="mock-embed", **options).data[0].embedding
    azure_vector = client.embeddings.create(model="azure-embed", **options).data[0].embedding

    assert len(openai_vector) == 64
    assert openai_vector == azure_vector


def test_token_array_input_is_accepted(gateway):
    reply = _embed(gateway, {"model": "mock-embed", "input": [[1, 2, 3], [4, 5]]})

    assert reply.status == 200
    assert len(reply.json()["data"]) == 2


def test_model_without_embeddings_is_refused_as_unsupported_capability(gateway):
    reply = _embed(gateway, {"model": "demo", "input": "hi"})

    assert reply.status == 400
    assert reply.error["code"] == "unsupported_capability"
    assert reply.error["param"] == "model"
    assert "embeddings" in reply.error["message"]


def test_unknown_model_is_a_404(gateway):
    reply = _embed(gateway, {"model": "no-such-model", "input": "hi"})

    assert (reply.status, reply.error["code"]) == (404, "model_not_found")


@pytest.mark.parametrize(("model", "status"), [("error500", 500), ("refused", 502)])
def test_upstream_failure_keeps_its_status(gateway, model, status):
    assert _embed(gateway, {"model": model, "input": "hi"}).status == status


BAD_REQUESTS = [
    ({"input": "hi"}, "model"),
    ({"model": 3, "input": "hi"}, "model"),
    ({"model": "mock-embed"}, "input"),
    ({"model": "mock-embed", "input": ""}, "input"),
    ({"model": "mock-embed", "input": []}, "input"),
    ({"model": "mock-embed", "input": {"text": "hi"}}, "input"),
    ({"model": "mock-embed", "input": ["ok", ""]}, "input[1]"),
    ({"model": "mock-embed", "input": ["ok", 7]}, "input[1]"),
    ({"model": "mock-embed", "input": [[1, 2], []]}, "input[1]"),
    ({"model": "mock-embed", "input": [[1, True]]}, "input[0]"),
    ({"model": "mock-embed", "input": ["x"] * (MAX_INPUTS + 1)}, "input"),
    ({"model": "mock-embed", "input": "hi", "encoding_format": "int8"}, "encoding_format"),
    ({"model": "mock-embed", "input": "hi", "dimensions": 0}, "dimensions"),
    ({"model": "mock-embed", "input": "hi", "dimensions": "64"}, "dimensions"),
    ({"model": "mock-embed", "input": "hi", "dimensions": True}, "dimensions"),
]


@pytest.mark.parametrize(("payload", "param"), BAD_REQUESTS)
def test_bad_request_is_refused_before_the_upstream_naming_the_param(payload, param):
    with pytest.raises(InvalidRequest) as caught:
        parse_embeddings_request(json.dumps(payload).encode())

    assert caught.value.param == param


@pytest.mark.parametrize(
    ("payload", "param"),
    [
        ({"model": "mock-embed"}, "input"),
        ({"model": "mock-embed", "input": ["ok", ""]}, "input[1]"),
        ({"model": "azure-embed", "input": "hi", "encoding_format": "int8"}, "encoding_format"),
        ({"model": "azure-embed", "input": "hi", "dimensions": 0}, "dimensions"),
    ],
)
def test_bad_request_is_an_openai_400_naming_the_param(gateway, payload, param):
    reply = _embed(gateway, payload)

    assert reply.status == 400
    assert reply.error["type"] == "invalid_request_error"
    assert reply.error["param"] == param


def test_body_that_is_not_json_is_a_400(gateway):
    reply = _embed(gateway, b"{not json")

    assert reply.status == 400
    assert "JSON" in reply.error["message"]
