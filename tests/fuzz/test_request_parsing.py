"""Client bodies of any shape: parsed, or refused with a 400 that says why."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ferrogate.gateway.chat_request import parse_chat_request
from ferrogate.gateway.embeddings_request import parse_embeddings_request
from ferrogate.gateway.json_body import load_json_object

from .contracts import assert_client_error, outcome
from .json_values import as_bytes, edited, json_objects, json_values
from .samples import CHAT_REQUESTS, EMBEDDING_REQUESTS

_RAW_BODIES = (
    st.binary(max_size=200)
    | json_values.map(as_bytes)
    | st.text(max_size=60).map(str.encode)
    | st.sampled_from([b"{", b"{}", b"[]", b"\xef\xbb\xbf{}", b'{"a":1}x', b"\x00", b"1e999"])
)
_CHAT_BODIES = st.sampled_from(CHAT_REQUESTS).flatmap(edited).map(as_bytes)
_EMBEDDING_BODIES = st.sampled_from(EMBEDDING_REQUESTS).flatmap(edited).map(as_bytes)
_PARSERS = st.sampled_from([load_json_object, parse_chat_request, parse_embeddings_request])


@settings(max_examples=250)
@given(parse=_PARSERS, raw=_RAW_BODIES | json_objects.map(as_bytes))
def test_any_body_is_parsed_or_refused_with_a_400(parse, raw):
    body = outcome(lambda: parse(raw), assert_client_error)
    assert body is None or isinstance(body, dict)


@settings(max_examples=250)
@given(raw=_CHAT_BODIES)
@example(raw=b'{"model": "m", "messages": [{"role": []}]}')  # was a TypeError, a 500
def test_an_edited_chat_request_is_parsed_or_refused_with_a_400(raw):
    body = outcome(lambda: parse_chat_request(raw), assert_client_error)
    if body is not None:
        assert isinstance(body["model"], str) and body["messages"]


@settings(max_examples=200)
@given(raw=_EMBEDDING_BODIES)
def test_an_edited_embeddings_request_is_parsed_or_refused_with_a_400(raw):
    body = outcome(lambda: parse_embeddings_request(raw), assert_client_error)
    if body is not None:
        assert isinstance(body["model"], str) and body["input"] not in (None, "", [])
