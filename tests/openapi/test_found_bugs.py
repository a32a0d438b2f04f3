"""Inputs schemathesis found that made the gateway answer 500; each must be a 400."""

from __future__ import annotations

import httpx
import pytest

HELLO = [{"role": "user", "content": "Hello!"}]


@pytest.mark.parametrize("role", [{"name": "user"}, ["user"]])
def test_a_role_that_is_not_a_string_is_a_400(open_gateway, role):
    body = {"model": "demo", "messages": [{"role": role, "content": "Hello!"}]}
    answer = httpx.post(f"{open_gateway}/v1/chat/completions", json=body, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == "messages[0].role"


@pytest.mark.parametrize("response_format", [[None, None], "json_object", 7])
def test_a_response_format_that_is_not_an_object_is_a_400(open_gateway, response_format):
    body = {"model": "demo", "messages": HELLO, "response_format": response_format}
    answer = httpx.post(f"{open_gateway}/v1/chat/completions", json=body, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == "response_format"
