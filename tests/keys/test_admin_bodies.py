"""Admin key bodies: what POST and PATCH accept, and the 400s naming a bad field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ferrogate.errors import InvalidRequest
from ferrogate.keys import KeyRecord, key_from_create_body, key_with_changes, period_seconds

NOW = 1_700_000_000.0
HASH = "ab" * 32


def create(body) -> KeyRecord:
    return key_from_create_body(body, "abcdefgh2345", HASH, NOW)


def refused(body, *, patch: bool = False) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as caught:
        key_with_changes(create({}), body) if patch else create(body)
    assert caught.value.status == 400
    return caught.value


def test_an_empty_body_makes_an_unrestricted_key():
    made = create({})
    assert made == KeyRecord(id="abcdefgh2345", secret_hash=HASH, created_at=NOW)


def test_every_field_is_taken():
    made = create(
        {
            "models": ["gpt-4o", "claude", "gpt-4o"],
            "rpm": 60,
            "tpm": 100_000,
            "max_budget_usd": 25,
            "budget_period": "30d",
            "expires_at": NOW + 3600,
            "metadata": {"team": "search", "n": [1, 2.5, None, True]},
        }
    )
    assert made.models == ["gpt-4o", "claude"]
    assert (made.rpm, made.tpm) == (60, 100_000)
    assert made.max_budget_usd == 25.0 and isinstance(made.max_budget_usd, float)
    assert made.budget_period == "30d"
    assert made.expires_at == NOW + 3600
    assert made.metadata == {"team": "search", "n": [1, 2.5, None, True]}


def test_expires_at_may_be_an_iso_8601_date():
    offset = create({"expires_at": "2030-01-02T03:04:05+02:00"})
    zulu = create({"expires_at": "2030-01-02T01:04:05Z"})
    naive = create({"expires_at": "2030-01-02T01:04:05"})  # read as UTC

    expected = datetime(2030, 1, 2, 1, 4, 5, tzinfo=UTC).timestamp()
    assert offset.expires_at == zulu.expires_at == naive.expires_at == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("models", "gpt-4o"),
        ("models", ["gpt-4o", 3]),
        ("models", [""]),
        ("models", {"gpt-4o": True}),
        ("rpm", 0),
        ("rpm", -5),
        ("rpm", 1.5),
        ("rpm", True),
        ("rpm", "60"),
        ("tpm", 0),
        ("max_budget_usd", -0.01),
        ("max_budget_usd", "10"),
        ("max_budget_usd", float("inf")),
        ("max_budget_usd", False),
        ("budget_period", "30"),
        ("budget_period", "0d"),
        ("budget_period", "1y"),
        ("budget_period", "30 d"),
        ("budget_period", "d"),
        ("budget_period", 30),
        ("expires_at", "tomorrow"),
        ("expires_at", -1),
        ("expires_at", True),
        ("expires_at", NOW - 1),
        ("expires_at", "2001-01-01T00:00:00Z"),
        ("metadata", ["a"]),
        ("metadata", "x"),
        ("metadata", {"big": "x" * 5000}),
    ],
)
def test_a_bad_value_is_a_400_naming_its_field(field, value):
    error = refused({field: value})
    assert error.param == field
    assert field in error.message


@pytest.mark.parametrize("field", ["secret_hash", "id", "created_at", "max_budget", "RPM"])
def test_an_unknown_field_is_a_400_naming_it(field):
    for patch in (False, True):
        error = refused({field: 1}, patch=patch)
        assert error.param == field
        assert field in error.message


def test_a_body_that_is_not_an_object_is_refused():
    for body in ([], "x", None, 3):
        refused(body)
        refused(body, patch=True)


def test_patch_changes_only_the_fields_given():
    original = create({"models": ["a"], "rpm": 5, "tpm": 50, "metadata": {"k": "v"}})

    changed = key_with_changes(original, {"rpm": 10, "budget_period": "1w"})

    assert changed.rpm == 10
    assert changed.budget_period == "1w"
    assert (changed.models, changed.tpm, changed.metadata) == (["a"], 50, {"k": "v"})
    assert (changed.id, changed.secret_hash, changed.created_at) == (
        original.id,
        original.secret_hash,
        original.created_at,
    )


def test_patch_null_clears_a_field():
    original = create(
        {
            "models": ["a"],
            "rpm": 5,
            "tpm": 50,
            "max_budget_usd": 1,
            "budget_period": "1d",
            "expires_at": NOW + 10,
            "metadata": {"k": "v"},
        }
    )
    cleared = key_with_changes(
        original,
        dict.fromkeys(
            ["models", "rpm", "tpm", "max_budget_usd", "budget_period", "expires_at", "metadata"]
        ),
    )

    assert cleared == KeyRecord(id=original.id, secret_hash=HASH, created_at=NOW)


def test_patch_may_set_an_expiry_in_the_past_to_disable_a_key():
    changed = key_with_changes(create({}), {"expires_at": NOW - 10})
    assert changed.expired(NOW)


def test_patch_rejects_bad_values_like_create():
    assert refused({"rpm": 0}, patch=True).param == "rpm"
    assert refused({"budget_period": "1y"}, patch=True).param == "budget_period"


@pytest.mark.parametrize(
    ("period", "seconds"),
    [
        ("45m", 2700.0),
        ("12h", 43_200.0),
        ("30d", 2_592_000.0),
        ("1w", 604_800.0),
        ("1mo", 2_592_000.0),
        ("2mo", 5_184_000.0),
    ],
)
def test_period_seconds(period, seconds):
    assert period_seconds(period) == seconds


@pytest.mark.parametrize("period", ["", "30", "0d", "1y", "d", "-1d", "1.5h", "1 d", "1M"])
def test_period_seconds_refuses_other_text(period):
    with pytest.raises(ValueError):
        period_seconds(period)
