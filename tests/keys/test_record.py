"""What a key record tells the gateway, and its stored form."""

from __future__ import annotations

from ferrogate.keys import KeyRecord
from ferrogate.keys.record import decode_record, encode_record

FULL = KeyRecord(
    id="abcdefgh2345",
    secret_hash="ab" * 32,
    created_at=1_700_000_000.5,
    models=["gpt-4o-mini", "claude"],
    rpm=60,
    tpm=10_000,
    max_budget_usd=12.5,
    budget_period="30d",
    expires_at=1_800_000_000.0,
    metadata={"team": "search", "tags": ["a", 1, None, {"x": True}]},
)


def test_a_record_survives_its_stored_form():
    assert decode_record(encode_record(FULL)) == FULL
    minimal = KeyRecord(id="x", secret_hash="h", created_at=1.0)
    assert decode_record(encode_record(minimal)) == minimal


def test_a_stored_record_with_fields_from_a_newer_version_still_reads():
    data = encode_record(FULL)[:-1] + b',"added_later":1}'
    assert decode_record(data) == FULL


def test_public_view_has_everything_but_the_secret_hash():
    public = FULL.public()

    assert "secret_hash" not in public
    assert FULL.secret_hash not in str(public)
    assert public["id"] == FULL.id
    assert public["models"] == FULL.models
    assert public["metadata"] == FULL.metadata
    assert public["budget_period"] == "30d"


def test_an_empty_model_list_allows_every_model():
    anything = KeyRecord(id="x", secret_hash="h", created_at=1.0)
    assert anything.allows_model("gpt-4o")
    assert FULL.allows_model("claude")
    assert not FULL.allows_model("gpt-4o")
    assert not FULL.allows_model("claude-3")


def test_a_key_expires_at_its_expiry_and_without_one_never():
    assert not FULL.expired(FULL.expires_at - 1)
    assert FULL.expired(FULL.expires_at)
    assert not KeyRecord(id="x", secret_hash="h", created_at=1.0).expired(1e12)
