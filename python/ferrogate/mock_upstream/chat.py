"""Chat completion bodies, assembled from bytes precomputed at start-up.

Only the id, the timestamp and the echoed model change between requests, so a
response is a join of a few ready-made byte strings rather than a serialisation.
"""

import itertools
import secrets
import string
import time

import orjson

from .bodies import SYSTEM_FINGERPRINT, chat_usage, reply_tokens

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
        tokens = reply_tokens(stream_chunks)
        self._ids = CompletionIds()
        self._completion_tail = self._build_completion_tail(tokens)
        self._chunk_tails = self._build_chunk_tails(tokens, include_usage=False)
        self._chunk_tails_with_usage = self._build_chunk_tails(tokens, include_usage=True)

    def completion(self, model: bytes) -> bytes:
        """A chat.completion body; `model` is the request's model as a JSON string."""
        head = b'{"id":"%s","object":"chat.completion","created":%d,"model":%s' % (
            self._ids.next(),
            time.time(),
            model,
        )
        return head + self._completion_tail

    def stream_events(self, model: bytes, include_usage: bool) -> list[bytes]:
        """Every SSE event of one streamed answer, `data: [DONE]` included."""
        head = b'data: {"id":"%s","object":"chat.completion.chunk","created":%d,"model":%s%s' % (
            self._ids.next(),
            time.time(),
            model,
            _members({"service_tier": "default", "system_fingerprint": SYSTEM_FINGERPRINT}),
        )
        tails = self._chunk_tails_with_usage if include_usage else self._chunk_tails
        events = [head + tail for tail in tails]
        events.append(DONE_EVENT)
        return events

    @staticmethod
    def _build_completion_tail(tokens: list[str]) -> bytes:
        content = "".join(tokens)
        message = {"role": "assistant", "content": content, "refusal": None, "annotations": []}
        rest = {
            "choices": [
                {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
            ],
            "usage": chat_usage(len(tokens)),
            "service_tier": "default",
            "system_fingerprint": SYSTEM_FINGERPRINT,
        }
        return _members(rest) + b"}"

    @staticmethod
    def _build_chunk_tails(tokens: list[str], include_usage: bool) -> list[bytes]:
        first = {"role": "assistant", "content": "", "refusal": None}
        choices = [_choice(first, None)]
        choices += [_choice({"content": token}, None) for token in tokens]
        choices.append(_choice({}, "stop"))
        # With include_usage OpenAI adds "usage": null to every chunk, then one usage chunk.
        extra: dict[str, object] = {"usage": None} if include_usage else {}
        tails = [_members({"choices": [choice], **extra}) for choice in choices]
        if include_usage:
            tails.append(_members({"choices": [], "usage": chat_usage(len(tokens))}))
        return [tail + b"}\n\n" for tail in tails]
