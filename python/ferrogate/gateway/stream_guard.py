"""The last line of the streaming contract: no stream ends silently on an unexpected error."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, AsyncIterator

from ferrogate.providers.sse import error_event

log = logging.getLogger("ferrogate.gateway")


async def guarded(chunks: AsyncIterator[bytes], request_id: str) -> AsyncGenerator[bytes, None]:
    try:
        async for chunk in chunks:
            yield chunk
    except Exception:
        log.exception("stream failed after the first byte (request %s)", request_id)
        yield error_event(
            "The server had an error while streaming the response.",
            "internal_error",
            "server_error",
        )
    finally:
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()
