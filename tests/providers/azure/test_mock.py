"""The mock's Azure OpenAI routes: Azure's own checks and errors, OpenAI's answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import openai
import pytest

from tests.support.gateway_stack import running_mock

DEPLOYMENT_PATH = "/openai/deployments/my-deployment/chat/completions"
CHAT = json.dumps({"messages": [{"role": "user", "content": "hi"}]}).encode()


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    with running_mock() as url:
        yield url


def _post(url: str, headers: dict[str, str], body: bytes = CHAT) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_azure_sdk_client_gets_chat_and_embeddings(mock_url):
    client = openai.AzureOpenAI(
        azure_endpoint=mock_url, api_key="az-key", api_version="2024-10-21", max_retries=0
    )

    completion = client.chat.completions.create(
        model="my-deployment", messages=[{"role": "user", "content": "hi"}]
    )
    embeddings = client.embeddings.create(model="my-embedder", input=["a", "b"])

    assert completion.model == "my-deployment"
    assert completion.choices[0].message.content
    assert [item.index for item in embeddings.data] == [0, 1]


def test_missing_api_key_is_azures_401(mock_url):
    status, body = _post(f"{mock_url}{DEPLOYMENT_PATH}?api-version=2024-10-21", {})

    assert status == 401
    assert body["error"]["code"] == "401"
    assert body["error"]["message"].startswith("Access denied due to invalid subscription key")


def test_bearer_token_alone_is_not_an_api_key(mock_url):
    headers = {"authorization": "Bearer sk-openai"}
    status, _ = _post(f"{mock_url}{DEPLOYMENT_PATH}?api-version=2024-10-21", headers)

    assert status == 401


@pytest.mark.parametrize(
    "path",
    [DEPLOYMENT_PATH, "/openai/deployments/my-deployment/completions?api-version=2024-10-21"],
    ids=["no-api-version", "unknown-operation"],
)
def test_missing_api_version_or_unknown_operation_is_resource_not_found(mock_url, path):
    status, body = _post(f"{mock_url}{path}", {"api-key": "k"})

    assert (status, body) == (404, {"error": {"code": "404", "message": "Resource not found"}})


def test_unknown_api_version_is_a_400(mock_url):
    status, body = _post(f"{mock_url}{DEPLOYMENT_PATH}?api-version=v9", {"api-key": "k"})

    assert status == 400
    assert body["error"] == {"code": "BadRequest", "message": "API version not supported"}


def test_body_that_is_not_json_is_openais_400(mock_url):
    url = f"{mock_url}{DEPLOYMENT_PATH}?api-version=2024-10-21"

    status, body = _post(url, {"api-key": "k"}, b"{broken")

    assert status == 400
    assert body["error"]["type"] == "invalid_request_error"
