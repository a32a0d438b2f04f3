"""Hot-path primitives of the gateway, implemented in Rust.

This is the public face of the compiled module ``ferrogate._native``; it imports no server,
HTTP or storage code, so any Python service can use it.

- Rate limiting: ``Gcra`` (one bucket) and ``KeyedLimiter`` (many, bounded), GCRA arithmetic
  over a monotonic ``now`` in seconds that the caller passes in.
- Vectors: ``normalize``, ``dot``, ``cosine`` and ``dot_batch`` over float32 numpy arrays,
  read in place; other dtypes and non-contiguous views raise ``VectorShapeError``.
- ``request_hash``: a hash of a chat request's cache-relevant fields that ignores key order,
  whitespace, escape and number spelling.
- Server-sent events: ``SseParser`` (incremental) and ``frame_event``.
- Stream translation: ``AnthropicStreamTranslator`` turns an Anthropic Messages event stream
  into OpenAI ``chat.completion.chunk`` events, one upstream read per call.
- ``JsonLines``: log lines written field by field into one buffer and taken in batches of
  whole lines (one JSON object per line, keys fixed at construction).
- ``count_tokens``: a text's token count under OpenAI's ``o200k_base`` or ``cl100k_base``
  encoding, the tables built in (no download).

Errors derive from ``CoreError``; the specific ones are also ``ValueError``.
"""

from ferrogate._native import (
    AnthropicStreamTranslator,
    CoreError,
    Gcra,
    InvalidJsonError,
    JsonLines,
    KeyedLimiter,
    SseError,
    SseEvent,
    SseParser,
    StreamEventError,
    VectorShapeError,
    cosine,
    count_tokens,
    dot,
    dot_batch,
    frame_event,
    normalize,
    request_hash,
)

__all__ = [
    "AnthropicStreamTranslator",
    "CoreError",
    "Gcra",
    "InvalidJsonError",
    "JsonLines",
    "KeyedLimiter",
    "SseError",
    "SseEvent",
    "SseParser",
    "StreamEventError",
    "VectorShapeError",
    "cosine",
    "count_tokens",
    "dot",
    "dot_batch",
    "frame_event",
    "normalize",
    "request_hash",
]
