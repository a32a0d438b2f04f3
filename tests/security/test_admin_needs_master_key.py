"""Every /admin route and method refuses any caller but the master key, in OpenAI's shape,
and changes nothing. The routes come from the live /openapi.json, so a new admin route is
covered as soon as it is documented."""

from __future__ import annotations

import pytest

from tests.access.keyed import MASTER_KEY, running_keyed_gateway

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
UNDOCUMENTED = ("/admin/nothing", "/admin/keys/x/y/z", "/admin/cache")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    with running_keyed_gateway(tmp_path_factory.mktemp("admin")) as gateway:
        yield gateway


def _admin_paths(gateway, key_id: str) -> list[str]:
    document = gateway.http.get("/openapi.json").json()
    documented = [path for path in document["paths"] if path.startswith("/admin")]
    assert {"/admin/keys", "/admin/keys/{id}", "/admin/cache/{namespace}"} <= set(documented)
    filled = [p.replace("{id}", key_id).replace("{namespace}", "default") for p in documented]
    return filled + list(UNDOCUMENTED)


def _callers(virtual_key: str) -> dict[str, dict[str, str]]:
    return {
        "no key": {},
        "virtual key": {"authorization": f"Bearer {virtual_key}"},
        "virtual key as x-api-key": {"x-api-key": virtual_key},
        "wrong master key": {"authorization": "Bearer mk-wrong"},
        "master key one character off": {"authorization": f"Bearer {MASTER_KEY[:-1]}X"},
        "master key prefix": {"authorization": f"Bearer {MASTER_KEY[:8]}"},
        "master key, wrong scheme": {"authorization": f"Basic {MASTER_KEY}"},
        "bearer without a token": {"authorization": "Bearer"},
    }


def test_every_admin_route_refuses_all_but_the_master_key(gateway):
    created = gateway.create_key()
    paths = _admin_paths(gateway, created["id"])
    answered = 0
    for caller, headers in _callers(created["key"]).items():
        for path in paths:
            for method in METHODS:
                answer = gateway.http.request(
                    method, path, headers=headers, json={"rpm": 1, "models": ["x"]}
                )
                where = f"{method} {path} with {caller}"
                assert answer.status_code in (401, 403), where
                error = answer.json()["error"]
                assert set(error) == {"message", "type", "param", "code"}, where
                assert error["code"] == "invalid_api_key", where
                assert MASTER_KEY not in answer.text, where
                answered += 1
    assert answered == len(METHODS) * len(paths) * 8

    # Nothing was created, changed, rotated or deleted by any of those.
    keys = gateway.admin("GET", "/keys").json()["data"]
    assert [key["id"] for key in keys] == [created["id"]]
    assert keys[0]["rpm"] is None and keys[0]["models"] == []
    assert gateway.chat(created["key"]).status_code == 200


def test_the_master_key_itself_is_let_in(gateway):
    assert gateway.admin("GET", "/keys").status_code == 200
    headers = {"x-api-key": MASTER_KEY}
    assert gateway.http.get("/admin/keys", headers=headers).status_code == 200
