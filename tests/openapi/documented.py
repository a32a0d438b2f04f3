"""Look up what the OpenAPI document promises for an answer, and check an answer against it."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
from jsonschema import Draft202012Validator

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def documented_methods(document: dict) -> dict[str, set[str]]:
    """{path: {"GET", ...}} as the document lists them."""
    return {
        path: {method.upper() for method in item if method in METHODS}
        for path, item in document["paths"].items()
    }


def resolve(document: dict, node: dict) -> dict:
    """`node`, following `$ref`s to components (responses, headers)."""
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def response_spec(document: dict, path: str, method: str, status: int) -> dict:
    responses = document["paths"][path][method.lower()]["responses"]
    assert str(status) in responses or "default" in responses, (
        f"{method} {path} answered {status}, which the document does not list"
    )
    return resolve(document, responses.get(str(status)) or responses["default"])


def schema_errors(document: dict, schema: dict, instance: Any) -> list[str]:
    """Every way `instance` breaks `schema`; its `$ref`s point into the document."""
    validator = Draft202012Validator({**schema, "components": document["components"]})
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def check_answer(document: dict, path: str, answer: httpx.Response) -> None:
    """The answer's status, content type, headers and body are as the document says."""
    method = answer.request.method
    spec = response_spec(document, path, method, answer.status_code)
    for name, header in spec.get("headers", {}).items():
        if resolve(document, header).get("required"):
            assert name in answer.headers, f"{method} {path}: no {name} header"
    media_type = answer.headers["content-type"].partition(";")[0].strip()
    content = spec["content"]
    assert media_type in content, f"{method} {path}: {media_type} is not documented"
    schema = content[media_type]["schema"]
    if media_type == "text/event-stream":
        events = sse_data(answer.content)
        assert events[-1] == "[DONE]", f"{method} {path}: the stream did not end with [DONE]"
        event_schema = {"$ref": "#/components/schemas/ChatStreamEvent"}
        for data in events[:-1]:
            assert not schema_errors(document, event_schema, orjson.loads(data)), data
        assert not schema_errors(document, schema, {"data": events[-1]})
    elif media_type == "application/json":
        errors = schema_errors(document, schema, answer.json())
        assert not errors, f"{method} {path} {answer.status_code}: {errors}\n{answer.text}"


def sse_data(raw: bytes) -> list[str]:
    """The `data:` of each event of an SSE body."""
    return [
        line.removeprefix("data:").strip()
        for line in raw.decode().splitlines()
        if line.startswith("data:")
    ]
