"""Fields with absurd values: token limits, roles and image parts are refused by name."""

from __future__ import annotations

import base64
import json

import pytest

from .conftest import assert_openai_error
from .wire import exchange, request_bytes

HI = [{"role": "user", "content": "hi"}]
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def _chat(gateway, payload: dict):
    return exchange(gateway.url, request_bytes(json.dumps(payload).encode()))


@pytest.mark.parametrize("value", [-1, 0, 10**12, 1.5, "10", True])
@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
def test_a_token_limit_that_is_not_a_sane_positive_integer_is_a_400(gateway, field, value):
    error = assert_openai_error(
        _chat(gateway, {"model": "demo", "messages": HI, field: value}), 400
    )

    assert error["param"] == field
    gateway.assert_serving()


def test_the_largest_token_limit_any_upstream_reads_is_served(gateway):
    reply = _chat(gateway, {"model": "demo", "messages": HI, "max_tokens": 2**31 - 1})

    assert reply.status == 200


@pytest.mark.parametrize("role", [None, 5, ["user"], {"name": "user"}, "USER"])
def test_a_role_that_is_not_a_known_name_is_a_400(gateway, role):
    payload = {"model": "demo", "messages": [{"role": role, "content": "hi"}]}

    error = assert_openai_error(_chat(gateway, payload), 400)

    assert error["param"] == "messages[0].role"
    gateway.assert_serving()


def _image_message(url) -> list[dict]:
    parts = [{"type": "text", "text": "what is this?"}, {"type": "image_url", "image_url": url}]
    return [{"role": "user", "content": parts}]


@pytest.mark.parametrize(
    "image_url",
    [
        {"url": "data:image/png;base64,%%%not-base64%%%"},
        {"url": "data:image/png;base64," + base64.b64encode(b"plain text, not a PNG").decode()},
        {"url": "data:text/plain;base64," + base64.b64encode(b"hello").decode()},
        {"url": "data:image/png," + "raw-not-base64"},
        {"url": "file:///etc/passwd"},
        {"url": "ftp://example.com/cat.png"},
        {"url": "javascript:alert(1)"},
        {"url": ""},
        "https://example.com/cat.png",  # a bare string: OpenAI wants {"url": ...}
    ],
    ids=[
        "bad-base64",
        "text-as-png",
        "text-media-type",
        "not-base64-encoded",
        "file-scheme",
        "ftp-scheme",
        "javascript-scheme",
        "empty",
        "not-an-object",
    ],
)
def test_an_image_part_that_is_not_an_image_is_a_400_naming_the_part(gateway, image_url):
    payload = {"model": "mock-gpt", "messages": _image_message(image_url)}

    error = assert_openai_error(_chat(gateway, payload), 400)

    assert error["param"] == "messages[0].content[1].image_url.url"
    gateway.assert_serving()


@pytest.mark.parametrize("media_type", ["image/png", "image/jpeg"])
def test_a_real_image_reaches_the_upstream(gateway, media_type):
    # A PNG labelled as JPEG too: clients mislabel, and OpenAI serves them.
    url = f"data:{media_type};base64," + base64.b64encode(PNG_HEAD + b"\0" * 64).decode()

    reply = _chat(gateway, {"model": "mock-gpt", "messages": _image_message({"url": url})})

    assert reply.status == 200
    assert "I see 1 image" in json.loads(reply.body)["choices"][0]["message"]["content"]
