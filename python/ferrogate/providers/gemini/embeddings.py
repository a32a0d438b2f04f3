"""OpenAI `/v1/embeddings` requests as Gemini embedContent / batchEmbedContents, and back.

One string goes to embedContent, a list to batchEmbedContents (one request per string).
Gemini takes text only: OpenAI's token-array inputs are refused with a 400. Vectors are
scaled to unit length: OpenAI clients take a dot product as the cosine, and Gemini's
vectors are unit only at the model's full size, not when `dimensions` shrinks them.
When Gemini reports no token count, prompt tokens are estimated at one per four
characters (at least one per input), the rule of thumb OpenAI gives for English text.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from ferrogate.core import normalize
from ferrogate.errors import InvalidRequest, UpstreamError
from ferrogate.providers.upstream_json import count, mapping

from .errors import PROVIDER

_ENCODINGS = frozenset({"float", "base64"})


@dataclass(frozen=True, slots=True)
class EmbeddingRequest:
    texts: list[str]
    batch: bool  # batchEmbedContents, else embedContent
    body: bytes  # the Gemini request
    encoding: str  # "float" or "base64", for the answer


def embedding_request(body: dict[str, Any], model: str) -> EmbeddingRequest:
    texts, batch = _texts(body.get("input"))
    encoding = body.get("encoding_format") or "float"
    if encoding not in _ENCODINGS:
        raise InvalidRequest(
            "`encoding_format` must be 'float' or 'base64'.", param="encoding_format"
        )
    options = _options(body.get("dimensions"))
    if batch:
        requests = [{"model": f"models/{model}", **_content(t), **options} for t in texts]
        gemini = orjson.dumps({"requests": requests})
    else:
        gemini = orjson.dumps({**_content(texts[0]), **options})
    return EmbeddingRequest(texts, batch, gemini, encoding)


def embeddings_body(request: EmbeddingRequest, reply: dict[str, Any], model: str) -> bytes:
    vectors = _vectors(request, reply)
    encode: Callable[[np.ndarray], Any] = _base64 if request.encoding == "base64" else _same
    data = [
        {"object": "embedding", "index": i, "embedding": encode(_unit(vector))}
        for i, vector in enumerate(vectors)
    ]
    tokens = count(mapping(reply.get("usageMetadata")).get("promptTokenCount"))
    if not tokens:
        tokens = sum(max(1, len(text) // 4) for text in request.texts)
    usage = {"prompt_tokens": tokens, "total_tokens": tokens}
    body = {"object": "list", "data": data, "model": model, "usage": usage}
    return orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY)


def _vectors(request: EmbeddingRequest, reply: dict[str, Any]) -> list[np.ndarray]:
    """One float32 vector per input text, or a 502: an answer short of one is no answer."""
    if request.batch:
        embeddings = reply.get("embeddings")
        embeddings = embeddings if isinstance(embeddings, list) else []
    else:
        embeddings = [reply.get("embedding")]
    vectors = [_vector(mapping(embedding).get("values")) for embedding in embeddings]
    if len(vectors) != len(request.texts) or any(vector is None for vector in vectors):
        message = f"{PROVIDER} answered with embeddings that are not one vector per input"
        body = orjson.dumps(reply)
        raise UpstreamError(message, status=502, provider=PROVIDER, upstream_body=body)
    return vectors


def _vector(values: Any) -> np.ndarray | None:
    """Finite float32 numbers, or None for anything else (strings, nesting, overflow)."""
    if not isinstance(values, list) or not values or not all(map(_is_number, values)):
        return None
    with np.errstate(over="ignore"):
        vector = np.asarray(values, dtype=np.float32)
    return vector if np.isfinite(vector).all() else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _texts(value: Any) -> tuple[list[str], bool]:
    if isinstance(value, str):
        return [value], False
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return value, True
    raise InvalidRequest(
        "Gemini embeds text only: `input` must be a string or a non-empty array of strings.",
        param="input",
    )


def _options(dimensions: Any) -> dict[str, Any]:
    if dimensions is None:
        return {}
    if not isinstance(dimensions, int) or isinstance(dimensions, bool) or dimensions < 1:
        raise InvalidRequest("`dimensions` must be a positive integer.", param="dimensions")
    return {"outputDimensionality": dimensions}


def _content(text: str) -> dict[str, Any]:
    return {"content": {"parts": [{"text": text}]}}


def _unit(vector: np.ndarray) -> np.ndarray:
    normalize(vector)
    return vector


def _same(vector: np.ndarray) -> np.ndarray:
    return vector


def _base64(vector: np.ndarray) -> str:
    # OpenAI's base64 encoding: the vector as little-endian float32, packed.
    return base64.b64encode(vector.astype("<f4", copy=False).tobytes()).decode()
