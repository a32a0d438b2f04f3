"""The key lifecycle through the admin API, on the SQLite store and on Redis."""

from __future__ import annotations

import pytest

from tests.access.keyed import MASTER_KEY, running_keyed_gateway


@pytest.fixture(params=["sqlite", "redis"])
def gateway(request, tmp_path):
    redis_url = None
    if request.param == "redis":
        redis_url = request.getfixturevalue("redis_stack_url")
        request.getfixturevalue("redis_client")  # an empty database
    with running_keyed_gateway(tmp_path, redis_url=redis_url) as gateway:
        yield gateway


def test_a_created_key_is_shown_once_and_works(gateway):
    created = gateway.create_key(models=["demo"], rpm=100, metadata={"team": "search"})
    key = created["key"]
    assert key.startswith(f"fg-{created['id']}-")
    assert created["models"] == ["demo"] and created["metadata"] == {"team": "search"}
    assert "secret_hash" not in created

    assert gateway.chat(key).status_code == 200
    shown = gateway.admin("GET", f"/keys/{created['id']}").json()
    listed = gateway.admin("GET", "/keys").json()["data"]
    for view in (shown, *listed):
        assert "key" not in view and "secret_hash" not in view
        assert key.split("-")[-1] not in str(view)
    assert [v["id"] for v in listed] == [created["id"]]
    assert shown["usage"]["requests_remaining"] == 99


def test_patch_changes_what_a_key_may_do(gateway):
    created = gateway.create_key()
    assert gateway.chat(created["key"]).status_code == 200
    patched = gateway.admin("PATCH", f"/keys/{created['id']}", {"models": ["other"]})
    assert patched.status_code == 200 and patched.json()["models"] == ["other"]
    refused = gateway.chat(created["key"])
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "model_not_allowed"


def test_rotate_replaces_the_secret_and_keeps_the_id(gateway):
    created = gateway.create_key(rpm=50)
    rotated = gateway.admin("POST", f"/keys/{created['id']}/rotate").json()
    assert rotated["id"] == created["id"] and rotated["key"] != created["key"]
    assert rotated["rpm"] == 50
    assert gateway.chat(created["key"]).status_code == 401
    assert gateway.chat(rotated["key"]).status_code == 200


def test_a_revoked_key_stops_working(gateway):
    created = gateway.create_key()
    assert gateway.chat(created["key"]).status_code == 200
    deleted = gateway.admin("DELETE", f"/keys/{created['id']}")
    assert deleted.json() == {"id": created["id"], "object": "key", "deleted": True}
    answer = gateway.chat(created["key"])
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "invalid_api_key"
    assert gateway.admin("GET", f"/keys/{created['id']}").status_code == 404


def test_the_admin_api_needs_the_master_key(gateway):
    created = gateway.create_key()
    for headers in (
        {},
        {"authorization": "Bearer wrong"},
        {"authorization": f"Bearer {created['key']}"},
    ):
        answer = gateway.http.get("/admin/keys", headers=headers)
        assert answer.status_code == 401
        assert answer.json()["error"]["type"] == "invalid_request_error"
    assert gateway.http.get("/admin/keys", headers={"x-api-key": MASTER_KEY}).status_code == 200


def test_bad_admin_requests_get_clear_errors(gateway):
    bad = gateway.admin("POST", "/keys", {"rpm": -3})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "rpm"
    unknown = gateway.admin("POST", "/keys", {"colour": "blue"})
    assert unknown.status_code == 400 and unknown.json()["error"]["param"] == "colour"
    assert gateway.admin("PATCH", "/keys/nosuchkey", {"rpm": 1}).status_code == 404
    assert gateway.admin("DELETE", "/keys/nosuchkey").status_code == 404
    assert gateway.admin("PUT", "/keys").status_code == 405
    assert gateway.admin("GET", "/nowhere").status_code == 404
    not_json = gateway.http.post(
        "/admin/keys", content=b"{", headers={"authorization": f"Bearer {MASTER_KEY}"}
    )
    assert not_json.status_code == 400


def test_an_expired_key_is_refused(gateway):
    created = gateway.create_key(expires_at="2100-01-01T00:00:00Z")
    assert gateway.chat(created["key"]).status_code == 200
    gateway.admin("PATCH", f"/keys/{created['id']}", {"expires_at": 1.0})
    answer = gateway.chat(created["key"])
    assert answer.status_code == 401
    assert "expired" in answer.json()["error"]["message"]
