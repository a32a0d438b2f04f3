"""embedContent and batchEmbedContents: the same deterministic vectors as the OpenAI route."""

from typing import Any

import orjson

from ..embeddings import MAX_DIMENSIONS, unit_vector
from .errors import invalid_argument

DEFAULT_DIMENSIONS = 768  # text-embedding-004's size; gemini-embedding-001 also offers 768


def embed_content(request: dict[str, Any]) -> bytes:
    vector, tokens = _embedding(request, "EmbedContentRequest")
    body = {"embedding": {"values": vector}, "usageMetadata": {"promptTokenCount": tokens}}
    return orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY)


def batch_embed_contents(request: dict[str, Any], model: str) -> bytes:
    requests = request.get("requests")
    if not isinstance(requests, list) or not requests:
        raise invalid_argument("* BatchEmbedContentsRequest.requests: requests is not specified")
    embeddings, total = [], 0
    for index, item in enumerate(requests):
        if item.get("model") != f"models/{model}":
            raise invalid_argument(
                f"* BatchEmbedContentsRequest.requests[{index}].model: "
                f"model must be models/{model}, the model of the request URL"
            )
        vector, tokens = _embedding(item, f"BatchEmbedContentsRequest.requests[{index}]")
        embeddings.append({"values": vector})
        total += tokens
    body = {"embeddings": embeddings, "usageMetadata": {"promptTokenCount": total}}
    return orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY)


def _embedding(request: dict[str, Any], where: str) -> tuple[Any, int]:
    parts = (request.get("content") or {}).get("parts") or []
    text = "".join(p.get("text", "") for p in parts)
    if not text:
        raise invalid_argument(f"* {where}.content: contents must not be empty")
    dimensions = request.get("outputDimensionality", DEFAULT_DIMENSIONS)
    if not isinstance(dimensions, int) or not 1 <= dimensions <= MAX_DIMENSIONS:
        raise invalid_argument(f"* {where}.output_dimensionality: out of range")
    return unit_vector(text.encode(), dimensions), max(1, len(text) // 4)
