"""The framework-neutral request and response values that front ends translate to and from."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field


@dataclass(slots=True)
class Request:
    method: str
    path: str
    headers: Mapping[str, str]  # names lower-cased by the front end
    body: bytes
    client: str = ""
    query: str = ""


@dataclass(slots=True)
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    # When set, the body is streamed chunk by chunk and `body` is ignored.
    stream: AsyncGenerator[bytes, None] | None = None
