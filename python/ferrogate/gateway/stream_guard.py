"""The last line of the streaming contract: no stream ends silently.

An unexpected error after the first byte becomes an explicit error event; a stream with
no chunk for `idle_timeout_s`, or still running after `max_duration_s`, is ended with one
too (closing the upstream call); and how the stream ended, with its timings, goes to the
request's record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from time import perf_counter

from ferrogate.errors import GatewayError
from ferrogate.providers.sse import DONE, error_event
from ferrogate.telemetry import RequestRecord

from .stream_watchdog import StreamWatchdog

log = logging.getLogger("ferrogate.gateway")
_ERROR_EVENT = b'data: {"error"'


async def guarded(
    chunks: AsyncIterator[bytes],
    record: RequestRecord,
    idle_timeout_s: float | None = None,
    on_end: Callable[[RequestRecord], None] | None = None,
    max_duration_s: float | None = None,
) -> AsyncGenerator[bytes, None]:
    started = perf_counter()
    # A stream that never idles could otherwise hold a connection (and an upstream call)
    # for as long as the upstream keeps talking; 0 or None means no bound.
    watchdog = None
    if idle_timeout_s or max_duration_s:
        deadline = asyncio.get_running_loop().time() + max_duration_s if max_duration_s else None
        watchdog = StreamWatchdog(idle_timeout_s or None, deadline)
    sent: list[bytes] = []  # references only: counted if the upstream reports no usage
    last = None
    outcome = "cancelled"  # unless the loop below says otherwise
    try:
        while True:
            try:
                if watchdog is None:
                    chunk = await anext(chunks)
                else:
                    chunk = await _next_chunk(chunks, watchdog)
            except StopAsyncIteration:
                break
            except TimeoutError:
                outcome = "timed_out"
                if watchdog is not None and watchdog.expired == "duration":
                    record.error_code = "stream_max_duration"  # the usage log says which bound
                    yield error_event(
                        f"The stream ran for more than {max_duration_s:g}s and was ended.",
                        "stream_max_duration",
                        "server_error",
                    )
                else:
                    yield error_event(
                        f"The stream was idle for more than {idle_timeout_s:g}s and was ended.",
                        "stream_idle_timeout",
                        "server_error",
                    )
                return
            now = perf_counter()
            if last is None:
                record.ttft_s = now - started
            else:
                record.inter_token_s.append(now - last)
            last = now
            if chunk.startswith(_ERROR_EVENT):
                outcome = "failed"
            elif chunk.endswith(DONE):
                outcome = "completed"
            sent.append(chunk)
            yield chunk
        if outcome == "cancelled":
            outcome = "failed"  # ended without [DONE] or an error event: say so now
            yield error_event("The stream ended unexpectedly.", "stream_interrupted")
    except GatewayError as exc:
        outcome = "failed"
        record.error_code = exc.code
        yield error_event(exc.message, exc.code or "internal_error", exc.type)
    except Exception:
        outcome = "failed"
        log.exception("stream failed after the first byte (request %s)", record.request_id)
        yield error_event(
            "The server had an error while streaming the response.",
            "internal_error",
            "server_error",
        )
    finally:
        if watchdog is not None:
            watchdog.close()
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()
        record.outcome = outcome
        if outcome != "completed" or not _reported(record):
            count_locally(record, sent)
        if on_end is not None:
            on_end(record)


async def _next_chunk(chunks: AsyncIterator[bytes], watchdog: StreamWatchdog) -> bytes:
    """The next chunk, or TimeoutError when the watchdog ended the wait for it."""
    if watchdog.out_of_time():
        raise TimeoutError  # chunks kept coming: the clock alone ends it
    watchdog.waiting()
    try:
        return await anext(chunks)
    except asyncio.CancelledError:
        if watchdog.ended_wait():
            raise TimeoutError from None
        raise
    finally:
        watchdog.got()


def _reported(record: RequestRecord) -> bool:
    counts = getattr(record.stream_usage, "counts", None)
    return isinstance(counts, dict) and isinstance(counts.get("completion_tokens"), int)


def count_locally(record: RequestRecord, sent: list[bytes]) -> None:
    """Usage is always known: what reached the client, counted with the gateway's tokenizer
    (and the prompt too when the upstream never said), for streams cut, left or silent."""
    if record.chat_body is None:
        return  # a cached replay or a non-chat stream: nothing was billed upstream
    from ferrogate.limits.token_count import prompt_tokens, text_tokens

    from .stream_settle import sent_text

    model = record.upstream_model or record.model or ""
    counts = getattr(record.stream_usage, "counts", None)
    reported_prompt = counts.get("prompt_tokens") if isinstance(counts, dict) else None
    record.prompt_tokens = (
        reported_prompt
        if isinstance(reported_prompt, int)
        else prompt_tokens(record.chat_body, model)
    )
    record.completion_tokens = text_tokens(sent_text(sent), model)
    record.stream_usage = None  # the counts above replace whatever the provider had
