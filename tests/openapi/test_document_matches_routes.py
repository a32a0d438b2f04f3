"""The document lists exactly the routes the gateway serves, each with exactly its methods."""

from __future__ import annotations

import asyncio

import httpx
from jsonschema import Draft202012Validator

from ferrogate.config import load_config
from ferrogate.gateway import Gateway
from tests.openapi.conftest import MASTER
from tests.openapi.documented import documented_methods

# Not a method of any documented operation, so every documented path must refuse it.
_UNDOCUMENTED_METHOD = "PUT"


def test_the_core_route_table_and_the_document_list_the_same_routes(document):
    gateway = Gateway.from_config(load_config(None, {}), master_key="")
    try:
        served = {path: set(methods) for path, methods in gateway._routes.items()}
    finally:
        asyncio.run(gateway.aclose())
    documented = {
        path: methods
        for path, methods in documented_methods(document).items()
        if not path.startswith("/admin/")  # matched by segments in AdminApi, checked below
    }
    assert served == documented


def test_every_documented_path_allows_exactly_its_documented_methods(document, keyed_gateway):
    for path, methods in documented_methods(document).items():
        concrete = path.replace("{id}", "no-such-key").replace("{namespace}", "docs")
        answer = keyed_gateway.http.request(_UNDOCUMENTED_METHOD, concrete, headers=MASTER)
        assert answer.status_code == 405, (path, answer.text)
        assert set(answer.headers["allow"].split(", ")) == methods, path


def test_admin_paths_outside_the_document_are_not_found(keyed_gateway):
    for path in ("/admin/keys/a/b", "/admin/keys/a/rotate/now", "/admin/cache", "/admin/users"):
        answer = keyed_gateway.http.get(path, headers=MASTER)
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "not_found"


def test_the_document_is_openapi_3_1_with_valid_schemas(document):
    assert document["openapi"] == "3.1.0"
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    assert set(document["components"]["securitySchemes"]) == {"bearerAuth", "apiKeyAuth"}
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]


def test_the_document_is_served_without_a_key_even_with_a_master_key(open_gateway, keyed_gateway):
    assert httpx.get(f"{open_gateway}/openapi.json", timeout=10).status_code == 200
    assert keyed_gateway.http.get("/openapi.json").status_code == 200
