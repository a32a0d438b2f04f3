"""The RediSearch side of L2: the index schema, TAG values, queries and their replies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def tag(value: str) -> str:
    """The TAG token stored and queried for a scope or namespace: its UTF-8 bytes in hex.

    Backslash-escaping the query is not enough to keep namespaces apart. RediSearch 2.10
    TAGs fold case ("Acme" finds "acme"), split on the separator ("a,b" is two tags),
    trim spaces (" x" finds "x"), reject the empty string, and an escaped non-ASCII
    character does not match at all. Hex has none of these problems and needs no escaping.
    """
    return value.encode().hex()


def create_args(index: str, prefix: str, dim: int) -> list[Any]:
    return [
        "FT.CREATE", index, "ON", "HASH", "PREFIX", 1, prefix,
        "SCHEMA", "scope", "TAG", "namespace", "TAG",
        "vector", "VECTOR", "HNSW", 6, "TYPE", "FLOAT32", "DIM", dim, "DISTANCE_METRIC", "COSINE",
    ]  # fmt: skip


def knn_args(index: str, scope: str, vector: bytes) -> list[Any]:
    # The TAG filter runs first, so the nearest neighbour is always one of this scope's.
    query = f"(@scope:{{{tag(scope)}}})=>[KNN 1 @vector $vec AS dist]"
    return [
        "FT.SEARCH", index, query, "PARAMS", 2, "vec", vector,
        "SORTBY", "dist", "RETURN", 2, "dist", "answer", "LIMIT", 0, 1, "DIALECT", 2,
    ]  # fmt: skip


def namespace_keys_args(index: str, namespace: str, batch: int) -> list[Any]:
    return [
        "FT.SEARCH", index, f"@namespace:{{{tag(namespace)}}}",
        "NOCONTENT", "LIMIT", 0, batch, "DIALECT", 2,
    ]  # fmt: skip


def rows(reply: Any) -> Iterator[tuple[bytes, dict[bytes, bytes]]]:
    """(key, fields) for each document of an FT.SEARCH reply, in RESP3 or RESP2 shape."""
    if isinstance(reply, dict):
        for doc in reply[b"results"]:
            yield doc[b"id"], doc.get(b"extra_attributes", {})
        return
    # RESP2: [total, key, [field, value, ...], key, ...]; NOCONTENT drops the field lists.
    items = reply[1:]
    if items and not isinstance(items[-1], list):
        yield from ((key, {}) for key in items)
        return
    for key, flat in zip(items[::2], items[1::2], strict=True):
        yield key, dict(zip(flat[::2], flat[1::2], strict=True))


def index_dim(info: Any) -> int | None:
    """The vector dimension in an FT.INFO reply (RESP3 or RESP2), None without a vector field."""
    if isinstance(info, list):
        info = dict(zip(info[::2], info[1::2], strict=True))
    for attribute in info[b"attributes"]:
        if isinstance(attribute, list):
            attribute = dict(zip(attribute[::2], attribute[1::2], strict=False))
        if attribute.get(b"type") == b"VECTOR":
            return int(attribute[b"dim"])
    return None
