"""What the OpenAI adapter sends where: URLs, auth headers, and the bytes it forwards."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from ferrogate.config import Deployment
from ferrogate.errors import UpstreamError
from ferrogate.providers import ChatCall, EmbeddingCall
from ferrogate.providers.openai import OpenAIProvider
from ferrogate.upstream.client import UpstreamReply
from tests.support.recording_client import build_recorded

EMBED = {"model": "text-embedding-3-small", "input": "hi", "encoding_format": "float"}


def _deployment(**fields) -> Deployment:
    return Deployment(**{"provider": "openai", "model": "text-embedding-3-small", **fields})


def _embed(provider, body: dict) -> bytes:
    return asyncio.run(provider.embed(EmbeddingCall(body=body, request_id="r"))).body


def test_urls_default_to_api_openai_com(monkeypatch):
    provider, client = build_recorded(monkeypatch, OpenAIProvider, _deployment(api_key="k"))

    _embed(provider, EMBED)

    assert client.posts[0][0] == "https://api.openai.com/v1/embeddings"


def test_urls_follow_the_base_url_without_doubling_slashes(monkeypatch):
    deployment = _deployment(api_key="k", base_url="http://upstream:9000/v1/")
    provider, client = build_recorded(monkeypatch, OpenAIProvider, deployment)

    _embed(provider, EMBED)
    asyncio.run(provider.complete(ChatCall(body={"model": "x"}, request_id="r")))

    assert [url for url, _ in client.posts] == [
        "http://upstream:9000/v1/embeddings",
        "http://upstream:9000/v1/chat/completions",
    ]


def test_key_goes_in_a_bearer_header_and_deployment_headers_are_added(monkeypatch):
    deployment = _deployment(api_key="sk-up", headers={"OpenAI-Organization": "org-1"})
    _, client = build_recorded(monkeypatch, OpenAIProvider, deployment)

    assert client.headers["authorization"] == "Bearer sk-up"
    assert client.headers["openai-organization"] == "org-1"


def test_the_upstream_gets_the_checked_body_not_the_clients_duplicate_keys(monkeypatch):
    provider, client = build_recorded(monkeypatch, OpenAIProvider, _deployment(api_key="k"))
    # The gateway's parser keeps the last of duplicate keys, as it checked and metered them;
    # an upstream keeping the first must not see max_tokens 100000.
    raw = b'{"model":"text-embedding-3-small","max_tokens":100000,"max_tokens":10,"messages":[]}'

    asyncio.run(provider.complete(ChatCall(body=orjson.loads(raw), request_id="r")))

    assert orjson.loads(client.posts[0][1])["max_tokens"] == 10
    assert client.posts[0][1].count(b"max_tokens") == 1


def test_embeddings_alias_is_rewritten_to_the_deployment_model(monkeypatch):
    provider, client = build_recorded(monkeypatch, OpenAIProvider, _deployment(api_key="k"))

    _embed(provider, {**EMBED, "model": "embedder", "dimensions": 64})

    assert orjson.loads(client.posts[0][1]) == {**EMBED, "dimensions": 64}


def test_embeddings_answer_is_passed_on_as_bytes(monkeypatch):
    provider, client = build_recorded(monkeypatch, OpenAIProvider, _deployment(api_key="k"))
    client.reply = UpstreamReply(200, b'{"object":"list","data":[]}')

    assert _embed(provider, EMBED) == b'{"object":"list","data":[]}'


def test_embeddings_error_keeps_the_upstream_status_and_code(monkeypatch):
    provider, client = build_recorded(monkeypatch, OpenAIProvider, _deployment(api_key="k"))
    error = {
        "message": "slow down",
        "type": "requests",
        "param": None,
        "code": "rate_limit_exceeded",
    }
    client.reply = UpstreamReply(429, orjson.dumps({"error": error}))

    with pytest.raises(UpstreamError) as caught:
        _embed(provider, EMBED)

    assert (caught.value.status, caught.value.code, caught.value.provider) == (
        429,
        "rate_limit_exceeded",
        "openai",
    )
