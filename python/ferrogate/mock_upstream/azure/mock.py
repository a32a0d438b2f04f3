"""Azure OpenAI deployments: /openai/deployments/{deployment}/{operation}?api-version=...

Checks what Azure checks, in its order (the `api-key` header, then the URL and its
`api-version`), answers its errors, and otherwise answers as the OpenAI mock does: same
scenario, same bodies, with the deployment name as the model.
"""

import re
from urllib.parse import parse_qs, unquote

from granian.rsgi import HTTPProtocol, Scope

from ..endpoints import JSON_HEADERS, OpenAIEndpoints, read_json
from ..errors import BadRequest
from ..settings import MockSettings
from .errors import ACCESS_DENIED, API_VERSION_NOT_SUPPORTED, RESOURCE_NOT_FOUND, azure_error_answer

_PATH = re.compile(r"/openai/deployments/([^/]+)/(chat/completions|embeddings)")
_API_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}(-preview)?")


class AzureMock:
    def __init__(self, settings: MockSettings) -> None:
        endpoints = OpenAIEndpoints(settings, error_answer=azure_error_answer)
        self._operations = {"chat/completions": endpoints.chat, "embeddings": endpoints.embeddings}

    async def handle(self, scope: Scope, proto: HTTPProtocol) -> None:
        if not scope.headers.get("api-key"):
            proto.response_bytes(401, JSON_HEADERS, ACCESS_DENIED)
            return
        match = _PATH.fullmatch(scope.path)
        version = parse_qs(scope.query_string).get("api-version", [""])[0]
        if match is None or scope.method != "POST" or not version:
            proto.response_bytes(404, JSON_HEADERS, RESOURCE_NOT_FOUND)
            return
        if not _API_VERSION.fullmatch(version):
            proto.response_bytes(400, JSON_HEADERS, API_VERSION_NOT_SUPPORTED)
            return
        deployment, operation = match.groups()
        try:
            request = await read_json(proto)
            await self._operations[operation](proto, request, unquote(deployment))
        except BadRequest as error:
            proto.response_bytes(400, JSON_HEADERS, error.body)
