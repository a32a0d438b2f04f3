"""Bodies that are cut, mislabelled, too deep, too big or not UTF-8 get a clear 4xx."""

from __future__ import annotations

import json

import pytest

from .conftest import MAX_BODY_BYTES, assert_openai_error
from .wire import connect, exchange, read_answer, request_bytes

HI = [{"role": "user", "content": "hi"}]
CHAT_BODY = json.dumps({"model": "demo", "messages": HI}).encode()


def test_a_body_shorter_than_its_content_length_then_closed_costs_nothing(gateway):
    with connect(gateway.url, 5) as sock:
        sock.sendall(request_bytes(CHAT_BODY[:10], content_length=len(CHAT_BODY) + 100))

    gateway.assert_serving()


MULTIPART = (
    b'--x\r\ncontent-disposition: form-data; name="model"\r\n\r\ndemo\r\n--x--\r\n',
    "multipart/form-data; boundary=x",
)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (CHAT_BODY, "text/plain"),
        (b"model=demo&messages=hi", "application/x-www-form-urlencoded"),
        MULTIPART,
    ],
    ids=["text", "form", "multipart"],
)
def test_a_body_labelled_as_anything_but_json_is_a_415(gateway, body, content_type):
    answer = exchange(gateway.url, request_bytes(body, content_type=content_type))

    error = assert_openai_error(answer, 415)
    assert error["code"] == "unsupported_media_type"
    assert "application/json" in error["message"]
    gateway.assert_serving()


def test_a_json_body_labelled_as_multipart_is_refused(gateway):
    answer = exchange(
        gateway.url, request_bytes(CHAT_BODY, content_type="multipart/form-data; boundary=x")
    )

    if gateway.server == "robyn":
        # Robyn's own multipart parser fails before the gateway sees the request, and
        # answers a plain-text 500 (a Robyn limit, see the README's bad input paragraph).
        assert (answer.status, answer.body) == (500, b"Internal server error")
    else:
        assert_openai_error(answer, 415)
    gateway.assert_serving()


def test_a_json_body_labelled_with_a_json_suffix_and_charset_is_served(gateway):
    answer = exchange(
        gateway.url, request_bytes(CHAT_BODY, content_type="application/json; charset=utf-8")
    )

    assert answer.status == 200


def test_json_nested_a_hundred_thousand_levels_deep_is_a_400(gateway):
    depth = 100_000
    body = b'{"model": "demo", "messages": ' + b"[" * depth + b"]" * depth + b"}"

    error = assert_openai_error(exchange(gateway.url, request_bytes(body)), 400)

    assert "JSON" in error["message"]
    gateway.assert_serving()


def test_a_huge_string_within_the_body_limit_is_served(gateway):
    text = "word " * ((MAX_BODY_BYTES - 1000) // 5)
    body = json.dumps({"model": "demo", "messages": [{"role": "user", "content": text}]})

    assert exchange(gateway.url, request_bytes(body.encode())).status == 200


def test_a_huge_array_within_the_body_limit_is_served(gateway):
    messages = [{"role": "user", "content": "x"}] * ((MAX_BODY_BYTES - 1000) // 40)
    body = json.dumps({"model": "demo", "messages": messages}).encode()
    assert len(body) < MAX_BODY_BYTES

    assert exchange(gateway.url, request_bytes(body)).status == 200
    gateway.assert_serving()


def test_a_huge_array_beyond_the_body_limit_sent_chunked_is_a_413(gateway):
    # No content-length to refuse early: the limit must hold while the body streams in.
    array = b"[" + b"1," * MAX_BODY_BYTES + b"1]"
    body = b'{"model": "demo", "messages": ' + array + b"}"
    head = (
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\nconnection: close\r\n"
        b"content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    )
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(body[i : i + 65536]), body[i : i + 65536])
        for i in range(0, len(body), 65536)
    )
    with connect(gateway.url, 20) as sock:
        sock.sendall(head + chunks + b"0\r\n\r\n")
        answer = read_answer(sock, 20)

    assert_openai_error(answer, 413)
    gateway.assert_serving()


@pytest.mark.parametrize(
    "content",
    [b'"caf\xe9 \xff\xfe"', b'"\\ud800 is half a surrogate pair"'],
    ids=["invalid-utf8-bytes", "lone-surrogate-escape"],
)
def test_text_that_is_not_unicode_is_a_400(gateway, content):
    body = b'{"model": "demo", "messages": [{"role": "user", "content": ' + content + b"}]}"

    error = assert_openai_error(exchange(gateway.url, request_bytes(body)), 400)

    assert "JSON" in error["message"]
    gateway.assert_serving()


def test_duplicate_keys_the_last_one_wins(gateway):
    # Documented in the README: the same rule as Python's, JavaScript's and Go's parsers.
    first_wins_would_404 = b'{"model": "no-such-model", "model": "demo", "messages": [], '
    body = first_wins_would_404 + b'"messages": [{"role": "user", "content": "hi"}]}'
    assert exchange(gateway.url, request_bytes(body)).status == 200

    last_is_unknown = b'{"model": "demo", "model": "no-such-model", "messages": [{"role": "user"}]}'
    error = assert_openai_error(exchange(gateway.url, request_bytes(last_is_unknown)), 404)
    assert "no-such-model" in error["message"]
