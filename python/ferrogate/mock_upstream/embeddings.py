"""Deterministic embeddings: the same input gives the same unit vector in every process."""

import base64
import hashlib
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import orjson

from .bodies import EMBEDDING_DIMENSIONS
from .errors import invalid_value, missing_parameter

MAX_DIMENSIONS = 3072


@lru_cache(maxsize=4096)
def unit_vector(key: bytes, dimensions: int) -> np.ndarray:
    """A float32 unit vector seeded by a stable hash of `key` (never Python's hash())."""
    seed = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")
    vector = np.random.default_rng(seed).standard_normal(dimensions, dtype=np.float32)
    vector /= np.linalg.norm(vector)
    vector.flags.writeable = False
    return vector


def _inputs(value: object) -> list[str | list[int]]:
    """OpenAI's four input shapes: str, list[str], list[int], list[list[int]]."""
    if value is None:
        raise missing_parameter("input")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value:
        if all(isinstance(item, int) for item in value):
            return [value]
        if all(isinstance(item, str | list) for item in value):
            return value
    raise invalid_value("input", "'input' must be a string or an array of strings or tokens.")


def _key_and_tokens(item: str | list[int]) -> tuple[bytes, int]:
    if isinstance(item, str):
        return item.encode(), max(1, len(item) // 4)
    return orjson.dumps(item), len(item)


def _dimensions(request: dict[str, object]) -> int:
    value = request.get("dimensions", EMBEDDING_DIMENSIONS)
    if not isinstance(value, int) or not 1 <= value <= MAX_DIMENSIONS:
        raise invalid_value("dimensions", f"'dimensions' must be between 1 and {MAX_DIMENSIONS}.")
    return value


def _encoder(request: dict[str, object]) -> Callable[[np.ndarray], object]:
    encoding = request.get("encoding_format", "float")
    if encoding == "float":
        return lambda vector: vector
    if encoding == "base64":
        return lambda vector: base64.b64encode(vector.tobytes()).decode()
    raise invalid_value("encoding_format", "'encoding_format' must be 'float' or 'base64'.")


def embeddings_body(request: dict[str, object], model: str) -> bytes:
    dimensions = _dimensions(request)
    encode = _encoder(request)
    data = []
    prompt_tokens = 0
    for index, item in enumerate(_inputs(request.get("input"))):
        key, tokens = _key_and_tokens(item)
        prompt_tokens += tokens
        vector = encode(unit_vector(key, dimensions))
        data.append({"object": "embedding", "index": index, "embedding": vector})
    usage = {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens}
    body = {"object": "list", "data": data, "model": model, "usage": usage}
    return orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY)
