"""The Gemini translators fed edited and arbitrary inputs.

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
from ferrogate.gateway.embeddings_request import parse_embeddings_request
from ferrogate.providers.base import StreamUsage
from ferrogate.providers.gemini.embeddings import embedding_request, embeddings_body
from ferrogate.providers.gemini.errors import upstream_error
from ferrogate.providers.gemini.request import gemini_request
from ferrogate.providers.gemini.response import completion_body
from ferrogate.providers.gemini.stream import ChunkWriter, relay

from .chat_grammar import chat_requests
from .contracts import assert_client_error, assert_upstream_error, outcome, relayed
from .json_values import as_bytes, edited, is_object, json_objects, json_values
from .samples import (
    CHAT_REQUESTS,
    EMBEDDING_REQUESTS,
    GEMINI_EMBEDDINGS,
    GEMINI_ERROR_BODIES,
    GEMINI_RESPONSES,
)
from .streams import cut_into_reads, sse_stream

_CHAT_BODIES = st.sampled_from(CHAT_REQUESTS).flatmap(edited) | chat_requests
# The adapter hands over only answers that are JSON objects.
_RESPONSES = st.sampled_from(GEMINI_RESPONSES).flatmap(edited).filter(is_object) | json_objects
_EVENTS = st.lists(st.sampled_from(GEMINI_RESPONSES), min_size=1, max_size=6)
_ONE_TEXT = embedding_request({"model": "e", "input": "a"}, "e")
_TWO_TEXTS = embedding_request(
    {"model": "e", "input": ["a", "b"], "encoding_format": "base64"}, "e"
)


@settings(max_examples=400)
@given(body=_CHAT_BODIES)
@example(body={"model": "m", "messages": [{"role": "user"}], "stop": 5})
@example(body={"model": "m", "messages": [{"role": "assistant", "tool_calls": True}]})
@example(body={"model": "m", "messages": [{"role": "user"}], "tool_choice": {"function": []}})
def test_a_valid_chat_request_is_translated_or_refused_with_a_400(body):
    try:
        parsed = parse_chat_request(as_bytes(body))
    except GatewayError:
        return  # the gateway refuses it before any provider sees it
    request = outcome(lambda: gemini_request(parsed), assert_client_error)
    if request is not None:
        orjson.dumps(request)  # the adapter sends exactly this
        assert isinstance(request["contents"], list)


@settings(max_examples=200)
@given(body=st.sampled_from(EMBEDDING_REQUESTS).flatmap(edited))
def test_a_valid_embeddings_request_is_translated_or_refused_with_a_400(body):
    try:
        parsed = parse_embeddings_request(as_bytes(body))
    except GatewayError:
        return
    request = outcome(lambda: embedding_request(parsed, "e"), assert_client_error)
    if request is not None:
        assert request.texts and orjson.loads(request.body)


@settings(max_examples=250)
@given(response=_RESPONSES)
@example(response={"candidates": [{"finishReason": ["STOP"]}]})
@example(response={"candidates": [None], "usageMetadata": {"promptTokenCount": "9"}})
def test_any_response_object_becomes_a_completion_or_an_upstream_error(response):
    body = outcome(lambda: completion_body(response, "g"), assert_upstream_error)
    if body is not None:
        completion = orjson.loads(body)
        assert completion["object"] == "chat.completion" and completion["choices"]
        assert all(
            isinstance(n, int) for n in completion["usage"].values() if not isinstance(n, dict)
        )


@settings(max_examples=200)
@given(
    request=st.sampled_from([_ONE_TEXT, _TWO_TEXTS]),
    reply=st.sampled_from(GEMINI_EMBEDDINGS).flatmap(edited).filter(is_object) | json_objects,
)
@example(request=_ONE_TEXT, reply={"embedding": {"values": ["0.1"]}})
@example(request=_TWO_TEXTS, reply={"embeddings": [{"values": [1.0]}]})
@example(request=_ONE_TEXT, reply={"embedding": {"values": [1e300, 1.0]}})
def test_any_embeddings_answer_becomes_vectors_or_an_upstream_error(request, reply):
    body = outcome(lambda: embeddings_body(request, reply, "e"), assert_upstream_error)
    if body is not None:
        data = orjson.loads(body)["data"]
        assert len(data) == len(request.texts)
        assert all(isinstance(d["embedding"], str) or None not in d["embedding"] for d in data)


@settings(max_examples=200)
@given(
    status=st.integers(min_value=400, max_value=599),
    body=st.binary(max_size=100)
    | st.sampled_from(GEMINI_ERROR_BODIES).flatmap(edited).map(as_bytes)
    | json_values.map(as_bytes),
)
@example(status=429, body=b'{"error": {"status": [], "details": [{"reason": []}]}}')
def test_any_error_answer_becomes_an_upstream_error(status, body):
    error = upstream_error(status, body)
    assert isinstance(error, UpstreamError)
    assert_upstream_error(error)


def _relay(upstream):
    return relay(upstream, ChunkWriter("g", StreamUsage()), client_wants_usage=True)


@settings(max_examples=200)
@given(stream=_EVENTS.flatmap(edited).flatmap(sse_stream), data=st.data())
@example(stream=b"data: []\n\n", data=None)
@example(stream=b'data: {"candidates": [{"index": [0], "finishReason": "STOP"}]}\n\n', data=None)
def test_an_edited_event_stream_ends_in_done_or_an_error_event(stream, data):
    reads = data.draw(cut_into_reads(stream)) if data is not None else [stream]
    relayed(_relay, reads)


@settings(max_examples=200)
@given(reads=st.lists(st.binary(max_size=60), max_size=5))
def test_any_bytes_from_the_upstream_end_in_an_error_event(reads):
    relayed(_relay, reads)
