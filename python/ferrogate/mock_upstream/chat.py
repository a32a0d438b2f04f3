"""Chat completion bodies, assembled from bytes.

Only the id, the timestamp and the echoed model change between requests, so a response
is a join of a few byte strings rather than a serialisation. The default answer's parts
are rendered once at start-up (the load benchmark's fast path); a scenario's `Reply` is
rendered per request by the same code.
"""

import itertools
import secrets
import string
import time

import orjson

from .bodies import SYSTEM_FINGERPRINT, chat_usage
from .chat_reply import deltas, message
from .scenario import MIDSTREAM_ERROR_AFTER, Ask, Reply, decide
from .scenario_errors import MIDSTREAM_ERROR_EVENT

DONE_EVENT = b"data: [DONE]\n\n"
_ID_ALPHABET = string.ascii_letters + string.digits


class CompletionIds:
    """chatcmpl- ids as long as OpenAI's: a random per-process prefix and a counter."""

    def __init__(self) -> None:
        prefix = "".join(secrets.choice(_ID_ALPHABET) for _ in range(19))
        self._prefix = f"chatcmpl-{prefix}".encode()
        self._counter = itertools.count()

    def next(self) -> bytes:
        return b"%s%010d" % (self._prefix, next(self._counter))


def _members(value: dict[str, object]) -> bytes:
    """A JSON object's members without braces, led by a comma, to append to a head."""
    return b"," + orjson.dumps(value)[1:-1]


def _choice(delta: dict[str, object], finish_reason: str | None) -> dict[str, object]:
    return {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}


class ChatResponder:
    def __init__(self, stream_chunks: int) -> None:
        default = decide(Ask(text=""), stream_chunks)
        self._ids = CompletionIds()
        self._completion_tail = _completion_tail(default)
        self._chunk_tails = _chunk_tails(default, include_usage=False)
        self._chunk_tails_with_usage = _chunk_tails(default, include_usage=True)

    def completion(self, model: bytes, reply: Reply | None = None) -> bytes:
        """A chat.completion body; `model` is the request's model as a JSON string.

        Without a `reply`, the default answer from the parts rendered at start-up.
        """
        head = b'{"id":"%s","object":"chat.completion","created":%d,"model":%s' % (
            self._ids.next(),
            time.time(),
            model,
        )
        return head + (self._completion_tail if reply is None else _completion_tail(reply))

    def stream_events(
        self, model: bytes, include_usage: bool, reply: Reply | None = None
    ) -> list[bytes]:
        """Every SSE event of one streamed answer, ending in `[DONE]` or an error event."""
        head = b'data: {"id":"%s","object":"chat.completion.chunk","created":%d,"model":%s%s' % (
            self._ids.next(),
            time.time(),
            model,
            _members({"service_tier": "default", "system_fingerprint": SYSTEM_FINGERPRINT}),
        )
        if reply is None:
            tails = self._chunk_tails_with_usage if include_usage else self._chunk_tails
        else:
            tails = _chunk_tails(reply, include_usage)
        events = [head + tail for tail in tails]
        events.append(MIDSTREAM_ERROR_EVENT if reply and reply.midstream_error else DONE_EVENT)
        return events


def _completion_tail(reply: Reply) -> bytes:
    rest = {
        "choices": [
            {"index": 0, "message": message(reply), "logprobs": None, "finish_reason": reply.finish}
        ],
        "usage": chat_usage(reply.completion_tokens),
        "service_tier": "default",
        "system_fingerprint": SYSTEM_FINGERPRINT,
    }
    return _members(rest) + b"}"


def _chunk_tails(reply: Reply, include_usage: bool) -> list[bytes]:
    choices = [_choice(delta, None) for delta in deltas(reply)]
    if reply.midstream_error:
        # The role chunk, a few tokens, then the error event instead of the rest.
        choices = choices[: 1 + MIDSTREAM_ERROR_AFTER]
    else:
        choices.append(_choice({}, reply.finish))
    # With include_usage OpenAI adds "usage": null to every chunk, then one usage chunk.
    extra: dict[str, object] = {"usage": None} if include_usage else {}
    tails = [_members({"choices": [choice], **extra}) for choice in choices]
    if include_usage and not reply.midstream_error:
        tails.append(_members({"choices": [], "usage": chat_usage(reply.completion_tokens)}))
    return [tail + b"}\n\n" for tail in tails]
