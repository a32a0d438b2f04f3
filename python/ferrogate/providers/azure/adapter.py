"""Azure OpenAI deployments, served by the OpenAI adapter with Azure's URLs, auth and errors.

`base_url` is the resource endpoint (https://<resource>.openai.azure.com) and `model` is the
deployment name; the request bodies, responses and streams are OpenAI's own.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ferrogate.config import Deployment
from ferrogate.errors import UpstreamError
from ferrogate.providers.openai.adapter import OpenAIProvider

from .errors import azure_error


class AzureProvider(OpenAIProvider):
    name = "azure"

    @staticmethod
    def _operation_url(deployment: Deployment, operation: str) -> str:
        base_url = deployment.base_url.rstrip("/")
        deployment_path = quote(deployment.model, safe="")
        query = urlencode({"api-version": deployment.api_version})
        return f"{base_url}/openai/deployments/{deployment_path}/{operation}?{query}"

    @staticmethod
    def _auth_headers(deployment: Deployment) -> dict[str, str]:
        return {"api-key": deployment.api_key}

    def _error(self, status: int, body: bytes) -> UpstreamError:
        return azure_error(status, body, self.name)
