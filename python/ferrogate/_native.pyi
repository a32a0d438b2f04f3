"""Type stubs of the compiled module; checked against it by ``mypy.stubtest`` in the tests."""

from typing import final

import numpy as np
from numpy.typing import NDArray

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
__version__: str

class CoreError(Exception):
    """Base class of the errors raised by the ferrogate core."""

class InvalidJsonError(CoreError, ValueError):
    """A request body that is not JSON, or not a JSON object."""

class VectorShapeError(CoreError, ValueError):
    """A vector or matrix of the wrong dtype, shape, length or layout."""

class SseError(CoreError, ValueError):
    """A server-sent-events stream or field that cannot be parsed or framed."""

class StreamEventError(CoreError, ValueError):
    """An upstream stream event whose data is not a JSON object."""

@final
class Gcra:
    """One GCRA bucket: ``rate`` tokens per second refill a bucket holding ``burst``.

    Raises ``ValueError`` unless both are finite and > 0.
    """

    def __new__(cls, rate: float, burst: float) -> Gcra: ...
    @property
    def rate(self) -> float: ...
    @property
    def burst(self) -> float: ...
    def try_acquire(self, cost: float, now: float) -> tuple[bool, float, float]:
        """Take ``cost`` tokens at monotonic time ``now`` (seconds) if the bucket holds them.

        Returns ``(allowed, retry_after, remaining)``: ``retry_after`` is 0.0 when allowed
        and ``math.inf`` when ``cost > burst``; ``remaining`` counts tokens after the decision.
        Raises ``ValueError`` for a negative or NaN cost or a non-finite ``now``.
        """

    def adjust(self, delta: float, now: float) -> float:
        """Charge ``delta`` tokens unconditionally, or refund them when negative; return the
        tokens left (0.0 while in debt).

        For reserve-then-settle: a charge may take the bucket into debt, so later requests wait
        longer; a refund never fills it past ``burst``. Raises ``ValueError`` for a non-finite
        ``delta`` or ``now``.
        """

@final
class KeyedLimiter:
    """GCRA buckets by key, at most ``max_keys`` of them.

    The limits come with each call, so a key's policy may change at any time; the tokens in
    use are kept across a change. When full, idle (refilled) buckets go first, then the least
    recently used.
    """

    def __new__(cls, max_keys: int = 100000) -> KeyedLimiter: ...
    @property
    def max_keys(self) -> int: ...
    def try_acquire(
        self, key: str, rate: float, burst: float, cost: float, now: float
    ) -> tuple[bool, float, float]:
        """Like ``Gcra.try_acquire``, for the bucket of ``key`` under the given limits."""

    def adjust(self, key: str, rate: float, burst: float, delta: float, now: float) -> float:
        """Like ``Gcra.adjust``, for the bucket of ``key`` under the given limits."""

    def evict_idle(self, now: float) -> int:
        """Drop every bucket that has refilled completely; return how many were dropped."""

    def __len__(self) -> int: ...

@final
class SseEvent:
    """One dispatched server-sent event; ``data`` stays raw UTF-8 bytes.

    ``event``, ``id`` and ``retry`` are the fields of this event's own block: unlike a
    browser, the parser does not carry an id over to later events.
    """

    def __new__(
        cls,
        data: bytes,
        event: str | None = None,
        id: str | None = None,
        retry: int | None = None,
    ) -> SseEvent: ...
    @property
    def data(self) -> bytes: ...
    @property
    def event(self) -> str | None: ...
    @property
    def id(self) -> str | None: ...
    @property
    def retry(self) -> int | None: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class JsonLines:
    """JSON Lines appended field by field into one buffer, taken back as whole lines.

    ``fields`` are (key, kind) pairs: ``value`` writes None, a bool, an int, a float or a
    str as it is; ``unix_time`` writes seconds since the epoch as an ISO 8601 UTC string;
    ``ms`` writes seconds as milliseconds to the microsecond; ``ms_map`` writes a dict of
    names to seconds the same way. Any of them may be None.
    """

    def __new__(cls, fields: list[tuple[str, str]]) -> JsonLines: ...
    @property
    def size(self) -> int:
        """Bytes waiting."""

    def push(self, row: tuple[object, ...]) -> None:
        """Append one line, a value per field; raises ``ValueError`` (or ``TypeError``,
        ``OverflowError``) and appends nothing when a value does not fit its field."""

    def take(self, max_bytes: int) -> bytes:
        """The oldest whole lines, at most ``max_bytes`` together unless the first is
        longer; ``b""`` when none wait."""

    def __len__(self) -> int: ...

@final
class SseParser:
    """Incremental ``text/event-stream`` parser (WHATWG rules).

    Lines longer than ``max_line_bytes``, or an event's data growing past it, raise
    ``SseError``.
    """

    def __new__(cls, *, max_line_bytes: int = 16777216) -> SseParser: ...
    @property
    def truncated(self) -> bool:
        """Whether the last ``finish()`` discarded an incomplete event."""

    def feed(self, chunk: bytes) -> list[SseEvent]:
        """Parse the next chunk; return the events it completes."""

    def finish(self) -> list[SseEvent]:
        """End the stream: an unterminated event is discarded (see ``truncated``)."""

@final
class AnthropicStreamTranslator:
    """Translates one Anthropic Messages event stream into OpenAI ``chat.completion.chunk`` events.

    ``model`` names the chunks until ``message_start`` names the answering model; every chunk
    has ``created``. With ``include_usage`` chunks carry ``"usage":null`` and a usage chunk
    comes before ``[DONE]``. Deltas of a ``tool_use`` block named ``json_tool`` stream as
    message content: that tool's input is the answer, not a call.
    """

    def __new__(
        cls, model: str, *, include_usage: bool, created: int, json_tool: str | None = None
    ) -> AnthropicStreamTranslator: ...
    def feed(self, chunk: bytes) -> tuple[bytes, bool]:
        """Translate the events ``chunk`` completes: the OpenAI SSE bytes to send, and whether
        ``usage`` or ``finished`` changed, so that they need reading only then.

        Input after ``message_stop`` or ``error`` is ignored. Raises ``SseError`` or
        ``StreamEventError`` for a stream that cannot be read; nothing of that chunk is returned.
        """

    @property
    def finished(self) -> bool:
        """Whether ``message_stop`` or an ``error`` event has ended the stream."""

    @property
    def usage(self) -> tuple[int, int, int] | None:
        """``(prompt_tokens, completion_tokens, cached_tokens)`` so far, as OpenAI counts them.

        ``None`` until ``message_start``.
        """

    @property
    def error(self) -> tuple[str | None, str | None] | None:
        """The ``(type, message)`` of the upstream's ``error`` event, if one ended the stream.

        A field that was missing or not a string is ``None``.
        """

def normalize(v: NDArray[np.float32]) -> None:
    """Scale ``v`` to unit L2 length in place; a zero vector stays zero."""

def count_tokens(text: str, encoding: str = "o200k_base") -> int:
    """The number of tokens ``text`` encodes to under ``"o200k_base"`` or ``"cl100k_base"``,
    as tiktoken's ``encode_ordinary`` counts them (special tokens are plain text).

    Raises ``ValueError`` for any other encoding name. Each encoding's table loads on its first
    use (tens of milliseconds); long texts are counted without the GIL.
    """

def dot(a: NDArray[np.float32], b: NDArray[np.float32]) -> float: ...
def cosine(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    """Cosine similarity; 0.0 when either vector is zero."""

def dot_batch(matrix: NDArray[np.float32], query: NDArray[np.float32]) -> NDArray[np.float32]:
    """Dot product of each row of the C-contiguous ``(n, d)`` matrix with ``query``."""

def request_hash(body: bytes) -> str:
    """32 hex digits identifying the cache-relevant fields of a chat request body."""

def frame_event(data: bytes, event: str | None = None, id: str | None = None) -> bytes:
    """Frame one event; ``SseError`` if ``event`` or ``id`` holds a line break (or ``id`` NUL)."""
