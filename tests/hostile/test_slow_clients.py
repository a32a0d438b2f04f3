"""Slow-loris clients are cut after the configured deadlines, and never stall other clients.

Robyn times out no slow client (its start() drops the timeout it is given: see
servers/robyn_server.py), so for Robyn these tests pin what it does: it holds the
connection, and still serves everyone else.
"""

from __future__ import annotations

import json
import time

from .conftest import BODY_TIMEOUT_S, HEADER_TIMEOUT_S, assert_openai_error
from .wire import connect, read_answer, request_bytes, trickle

BODY = json.dumps({"model": "demo", "messages": [{"role": "user", "content": "hi"}]}).encode()
MARGIN_S = 2  # scheduling slack on a busy CI machine


def test_headers_trickled_a_byte_at_a_time_are_cut_after_the_header_timeout(gateway):
    with connect(gateway.url, 10) as sock:
        started = time.monotonic()
        gateway.assert_serving()
        still_open = trickle(sock, request_bytes(BODY) * 20, 0.1, HEADER_TIMEOUT_S + MARGIN_S)
        gateway.assert_serving()

    if gateway.server == "robyn":
        assert still_open
    else:
        assert not still_open
        assert time.monotonic() - started < HEADER_TIMEOUT_S + MARGIN_S


def test_a_body_trickled_a_byte_at_a_time_gets_a_408_after_the_body_timeout(gateway):
    head, _, body = request_bytes(BODY).partition(b"\r\n\r\n")
    with connect(gateway.url, 10) as sock:
        sock.sendall(head + b"\r\n\r\n")
        started = time.monotonic()
        still_open = trickle(sock, body, 0.2, BODY_TIMEOUT_S + MARGIN_S)
        gateway.assert_serving()
        if gateway.server == "robyn":
            assert still_open
            return
        answer = read_answer(sock, MARGIN_S)

    assert time.monotonic() - started < BODY_TIMEOUT_S + 2 * MARGIN_S
    error = assert_openai_error(answer, 408)
    assert error["code"] == "request_timeout"


def test_a_body_shorter_than_its_content_length_then_stalled_gets_a_408(gateway):
    with connect(gateway.url, BODY_TIMEOUT_S + MARGIN_S) as sock:
        sock.sendall(request_bytes(BODY[:10], content_length=len(BODY)))
        gateway.assert_serving()
        answer = read_answer(sock, BODY_TIMEOUT_S + MARGIN_S)

    if gateway.server == "robyn":
        assert answer.status == 0  # nothing yet: the connection is still held
    else:
        assert answer.seconds < BODY_TIMEOUT_S + MARGIN_S
        assert_openai_error(answer, 408)
    gateway.assert_serving()
