"""The Anthropic translators fed edited and arbitrary inputs.

Requests: translated, or refused with a 400. Answers and errors from the upstream:
translated, or a gateway error with a message. Streams: OpenAI events ending in [DONE]
or an error event, whatever bytes arrive.
"""

from __future__ import annotations

import orjson
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ferrogate.errors import GatewayError, UpstreamError
from ferrogate.gateway.chat_request import parse_chat_request
from ferrogate.providers.anthropic.errors import stream_error_event, upstream_error
from ferrogate.providers.anthropic.request import to_anthropic
from ferrogate.providers.anthropic.response import to_completion
from ferrogate.providers.anthropic.stream import StreamTranslator, relay
from ferrogate.providers.base import StreamUsage

from .chat_grammar import chat_requests
from .contracts import assert_client_error, assert_upstream_error, outcome, relayed
from .json_values import as_bytes, edited, is_object, json_objects, json_values
from .samples import ANTHROPIC_ERROR_BODIES, ANTHROPIC_MESSAGES, ANTHROPIC_STREAM, CHAT_REQUESTS
from .streams import cut_into_reads, sse_stream

_CHAT_BODIES = st.sampled_from(CHAT_REQUESTS).flatmap(edited) | chat_requests
# The adapter hands over only answers that are JSON objects.
_MESSAGES = st.sampled_from(ANTHROPIC_MESSAGES).flatmap(edited).filter(is_object) | json_objects
_EVENTS = st.lists(st.sampled_from(ANTHROPIC_STREAM), min_size=1, max_size=12)


@settings(max_examples=400)
@given(body=_CHAT_BODIES)
@example(body={"model": "m", "messages": [{"role": "user", "content": [{"type": []}]}]})
@example(body={"model": "m", "messages": [{"role": "assistant", "tool_calls": "ab"}]})
@example(body={"model": "m", "messages": [{"role": "assistant", "tool_calls": [{}]}]})
@example(body={"model": "m", "messages": [{"role": "user"}], "stop": 5, "tools": 1})
def test_a_valid_chat_request_is_translated_or_refused_with_a_400(body):
    try:
        parsed = parse_chat_request(as_bytes(body))
    except GatewayError:
        return  # the gateway refuses it before any provider sees it
    request = outcome(lambda: to_anthropic(parsed, "claude"), assert_client_error)
    if request is not None:
        orjson.dumps(request)  # the adapter sends exactly this
        assert request["messages"] is not None and request["max_tokens"] is not None


@settings(max_examples=250)
@given(message=_MESSAGES)
@example(message={"content": "text", "stop_reason": ["end_turn"]})
@example(message={"content": [{"type": "text", "text": 1}], "usage": {"input_tokens": "9"}})
@example(message={"usage": {"input_tokens": 2**64 - 1, "output_tokens": 2**64 - 1}})
def test_any_message_object_becomes_a_completion_or_an_upstream_error(message):
    body = outcome(lambda: to_completion(message), assert_upstream_error)
    if body is not None:
        completion = orjson.loads(body)
        assert completion["object"] == "chat.completion" and len(completion["choices"]) == 1


@settings(max_examples=200)
@given(
    status=st.integers(min_value=400, max_value=599),
    body=st.binary(max_size=100)
    | st.sampled_from(ANTHROPIC_ERROR_BODIES).flatmap(edited).map(as_bytes)
    | json_values.map(as_bytes),
)
@example(status=400, body=b'{"error": {"type": [], "message": {}}}')
def test_any_error_answer_becomes_an_upstream_error(status, body):
    error = upstream_error(status, body, "anthropic")
    assert isinstance(error, UpstreamError)
    assert_upstream_error(error)


@settings(max_examples=200)
@given(
    payload=json_objects | st.sampled_from(ANTHROPIC_ERROR_BODIES).flatmap(edited).filter(is_object)
)
@example(payload={"error": {"type": ["overloaded_error"]}})
def test_any_mid_stream_error_becomes_one_error_event(payload):
    event = stream_error_event(payload, "anthropic")
    assert event.startswith(b"data: ") and event.endswith(b"\n\n")
    assert orjson.loads(event[len(b"data: ") : -2])["error"]["message"]


def _relay(upstream):
    translator = StreamTranslator("claude", wants_usage=True, usage=StreamUsage())
    return relay(upstream, translator)


@settings(max_examples=200)
@given(stream=_EVENTS.flatmap(edited).flatmap(sse_stream), data=st.data())
def test_an_edited_event_stream_ends_in_done_or_an_error_event(stream, data):
    relayed(_relay, data.draw(cut_into_reads(stream)))


@settings(max_examples=200)
@given(reads=st.lists(st.binary(max_size=60), max_size=5))
def test_any_bytes_from_the_upstream_end_in_an_error_event(reads):
    relayed(_relay, reads)
