"""What a provider adapter can carry; a request needing more gets a 400, never a silent drop."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Capabilities:
    streaming: bool = True
    tools: bool = False
    images: bool = False
    json_schema: bool = False  # response_format json_object / json_schema
    embeddings: bool = False


FULL = Capabilities(streaming=True, tools=True, images=True, json_schema=True, embeddings=True)
