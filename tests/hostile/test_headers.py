"""Malformed or oversized headers are refused by the HTTP layer, which sends no body.

Both servers reject these before the gateway sees the request, so the answer is a bare
status, not OpenAI's error shape: the HTTP parser owns it.
"""

from __future__ import annotations

import json

import pytest

from .wire import exchange, request_bytes

BODY = json.dumps({"model": "demo", "messages": [{"role": "user", "content": "hi"}]}).encode()


@pytest.mark.parametrize("control", [b"\x00", b"\x01", b"\x1b", b"\x7f", b"\r"])
def test_a_control_character_in_a_header_value_is_a_400(gateway, control):
    answer = exchange(
        gateway.url, request_bytes(BODY, extra_headers=b"x-request-id: a" + control + b"b\r\n")
    )

    assert answer.status == 400
    gateway.assert_serving()


def test_a_non_ascii_header_value_is_served(gateway):
    answer = exchange(
        gateway.url, request_bytes(BODY, extra_headers=b"x-request-id: caf\xe9\xff\r\n")
    )

    assert answer.status == 200
    gateway.assert_serving()


def test_a_megabyte_of_headers_is_a_431(gateway):
    huge = b"x-padding: " + b"a" * (1024 * 1024) + b"\r\n"

    assert exchange(gateway.url, request_bytes(BODY, extra_headers=huge)).status == 431
    gateway.assert_serving()


def test_a_thousand_headers_is_a_431(gateway):
    many = b"".join(b"x-h%d: v\r\n" % i for i in range(1000))

    assert exchange(gateway.url, request_bytes(BODY, extra_headers=many)).status == 431
    gateway.assert_serving()
