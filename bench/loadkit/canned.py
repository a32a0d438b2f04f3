"""The canned answers of the nginx upstream: the shapes the Python mock gives the bench request.

Taken from one real answer of `ferrogate.mock_upstream` to loadkit.chat's request (ids and
times frozen), so that a gateway parses, relays and accounts the same bytes whichever mock
answers.
"""

import json

MODEL = "bench-model"
ANSWER_ID = "chatcmpl-bench0000000000000000000000"
CREATED = 1796325120
WORDS = ("Hello", "!", " It's", " nice", " to", " meet", " you", ".")
USAGE = {
    "prompt_tokens": 14,
    "completion_tokens": len(WORDS),
    "total_tokens": 14 + len(WORDS),
    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
    "completion_tokens_details": {
        "reasoning_tokens": 0,
        "audio_tokens": 0,
        "accepted_prediction_tokens": 0,
        "rejected_prediction_tokens": 0,
    },
}
_COMMON = {"created": CREATED, "model": MODEL, "service_tier": "default"}
_FINGERPRINT = {"system_fingerprint": "fp_7a1b2c3d4e"}


def _dumps(value: dict) -> str:
    return json.dumps(value, separators=(",", ":"))


def chat_completion() -> str:
    message = {"role": "assistant", "content": "".join(WORDS), "refusal": None, "annotations": []}
    choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
    return _dumps(
        {
            "id": ANSWER_ID,
            "object": "chat.completion",
            **_COMMON,
            "choices": [choice],
            "usage": USAGE,
            **_FINGERPRINT,
        }
    )


def _chunk(choices: list[dict], usage: dict | None = None) -> str:
    head = {"id": ANSWER_ID, "object": "chat.completion.chunk", **_COMMON, **_FINGERPRINT}
    return "data: " + _dumps({**head, "choices": choices, "usage": usage}) + "\n\n"


def _delta(delta: dict, finish_reason: str | None = None) -> dict:
    return {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}


def chat_stream() -> str:
    """11 chunks: the role, one per word, the finish reason, the usage; then [DONE].

    The usage chunk is sent whether or not the request asked for it: the gateway always
    asks (stream_options.include_usage), and a client that did not ask ignores a chunk with
    no choices, so one canned body serves both.
    """
    chunks = [_chunk([_delta({"role": "assistant", "content": "", "refusal": None})])]
    chunks += [_chunk([_delta({"content": word})]) for word in WORDS]
    chunks.append(_chunk([_delta({}, "stop")]))
    chunks.append(_chunk([], USAGE))
    return "".join(chunks) + "data: [DONE]\n\n"


def model_list() -> str:
    return _dumps(
        {
            "object": "list",
            "data": [{"id": MODEL, "object": "model", "created": CREATED, "owned_by": "bench"}],
        }
    )
