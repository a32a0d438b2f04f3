"""Azure's URLs and auth around the OpenAI adapter."""

from __future__ import annotations

import asyncio

import orjson

from ferrogate.config import Deployment
from ferrogate.providers import ChatCall, EmbeddingCall
from ferrogate.providers.azure import AzureProvider
from tests.support.recording_client import build_recorded

RESOURCE = "https://example-resource.openai.azure.com"


def _deployment(**fields) -> Deployment:
    return Deployment(
        **{"provider": "azure", "model": "gpt-4o", "base_url": RESOURCE, "api_key": "az", **fields}
    )


def _posted_urls(monkeypatch, deployment: Deployment) -> list[str]:
    provider, client = build_recorded(monkeypatch, AzureProvider, deployment)
    body = {"model": deployment.model, "input": "hi"}
    asyncio.run(provider.complete(ChatCall(body=body, request_id="r")))
    asyncio.run(provider.embed(EmbeddingCall(body=body, request_id="r")))
    return [url for url, _ in client.posts]


def test_urls_name_the_deployment_and_the_default_api_version(monkeypatch):
    assert _posted_urls(monkeypatch, _deployment()) == [
        f"{RESOURCE}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        f"{RESOURCE}/openai/deployments/gpt-4o/embeddings?api-version=2024-10-21",
    ]


def test_configured_api_version_and_odd_deployment_names_are_url_safe(monkeypatch):
    deployment = _deployment(
        model="my deployment/1", api_version="2025-01-01-preview", base_url=f"{RESOURCE}/"
    )

    chat_url, _ = _posted_urls(monkeypatch, deployment)

    assert chat_url == (
        f"{RESOURCE}/openai/deployments/my%20deployment%2F1/chat/completions"
        "?api-version=2025-01-01-preview"
    )


def test_key_goes_in_the_api_key_header_not_authorization(monkeypatch):
    _, client = build_recorded(monkeypatch, AzureProvider, _deployment(headers={"X-Team": "a"}))

    assert client.headers["api-key"] == "az"
    assert "authorization" not in client.headers
    assert client.headers["x-team"] == "a"


def test_alias_in_the_body_becomes_the_deployment_name(monkeypatch):
    provider, client = build_recorded(monkeypatch, AzureProvider, _deployment())
    body = {"model": "azure-gpt", "messages": []}

    asyncio.run(provider.complete(ChatCall(body=body, request_id="r")))

    assert orjson.loads(client.posts[0][1])["model"] == "gpt-4o"
