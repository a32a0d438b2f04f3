"""A stream opened and its first chunk pulled before the router hands it out.

Until the first chunk, nothing has reached the client, so a failure (an error status, a
reset, a stream that ends or reports an error before any event, no first token in time) can
still be retried elsewhere. The chunk is then yielded again ahead of the rest, so the
caller sees the stream whole.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import orjson

from ferrogate.errors import GatewayError, UpstreamTimeout, UpstreamUnreachable
from ferrogate.providers.base import ChatCall, ChatProvider, ChatStream

_ERROR_EVENT = b'data: {"error"'


async def open_primed_stream(
    provider: ChatProvider, call: ChatCall, first_token_timeout_s: float | None
) -> ChatStream:
    """The stream with its first chunk already read; raises if that chunk is not a token."""
    opened: list[ChatStream] = []  # filled as soon as the headers are in, for the clean-up
    try:
        async with asyncio.timeout(first_token_timeout_s):
            first = await _first_chunk(provider, call, opened)
    except TimeoutError:
        await _close(opened)
        waited = f"{first_token_timeout_s:g}s"
        raise UpstreamTimeout(f"{provider.name} sent no first token within {waited}") from None
    except BaseException:
        await _close(opened)
        raise
    stream = opened[0]
    return ChatStream(_Replayed(first, stream.chunks), stream.upstream_s, stream.usage)


async def _first_chunk(provider: ChatProvider, call: ChatCall, opened: list[ChatStream]) -> bytes:
    stream = await provider.stream(call)
    opened.append(stream)
    first = await anext(stream.chunks, None)
    if first is None:
        raise UpstreamUnreachable(
            f"{provider.name} ended the stream before its first event", code="stream_truncated"
        )
    if first.startswith(_ERROR_EVENT):
        raise _early_error(first, provider.name)
    return first


def _early_error(event: bytes, provider: str) -> GatewayError:
    """An error event in place of the first token: the adapters write one when the upstream
    breaks after its headers (a reset, a read timeout) or sends an error itself. Retryable,
    since the client has seen nothing yet."""
    message, code = f"{provider} failed before its first token", "stream_interrupted"
    with contextlib.suppress(orjson.JSONDecodeError, AttributeError, TypeError):
        error = orjson.loads(event.removeprefix(b"data: ").strip())["error"]
        message = error.get("message") or message
        code = error.get("code") or code
    return UpstreamUnreachable(message, code=code)


class _Replayed:
    """The first chunk again, then the rest. A class rather than a generator so that
    ``aclose`` closes the upstream stream even if nobody ever pulled a chunk (a hedge that
    answered too late)."""

    def __init__(self, first: bytes, rest: AsyncIterator[bytes]) -> None:
        self._first: bytes | None = first
        self._rest = rest

    def __aiter__(self) -> _Replayed:
        return self

    async def __anext__(self) -> bytes:
        if self._first is not None:
            first, self._first = self._first, None
            return first
        return await anext(self._rest)

    async def aclose(self) -> None:
        self._first = None
        await _close_iterator(self._rest)


async def close_stream(stream: ChatStream) -> None:
    """Close a stream nobody will read to its end, which drops its upstream connection."""
    await _close_iterator(stream.chunks)


async def _close(opened: list[ChatStream]) -> None:
    if opened:
        await close_stream(opened[0])


async def _close_iterator(chunks: AsyncIterator[bytes]) -> None:
    aclose = getattr(chunks, "aclose", None)  # adapters return async generators
    if aclose is not None:
        await aclose()
