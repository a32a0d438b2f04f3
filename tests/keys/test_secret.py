"""Key format and the keyed hash of secrets."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferrogate.config.schema import KeysConfig
from ferrogate.keys import KEY_PREFIX, SecretHasher, new_key, parse_key, pepper_from

ID_CHARS = "abcdefghijklmnopqrstuvwxyz234567"
SECRET_CHARS = string.ascii_letters + string.digits + "_"
key_ids = st.text(ID_CHARS, min_size=12, max_size=12)
secrets_ = st.text(SECRET_CHARS, min_size=32, max_size=128)


def test_new_keys_have_the_documented_shape_and_parse_back():
    for _ in range(200):  # `-` turns up in about half of raw token_urlsafe(32) outputs
        full, key_id, secret = new_key()
        assert full == f"{KEY_PREFIX}{key_id}-{secret}"
        assert re.fullmatch(r"[a-z2-7]{12}", key_id)
        assert "-" not in secret and len(secret) >= 43
        assert parse_key(full) == (key_id, secret)


def test_new_keys_differ():
    keys = {new_key()[0] for _ in range(1000)}
    ids = {parse_key(key)[0] for key in keys}
    assert len(keys) == len(ids) == 1000


@given(key_ids, secrets_)
def test_any_well_formed_key_parses_to_its_parts(key_id, secret):
    assert parse_key(f"fg-{key_id}-{secret}") == (key_id, secret)


@given(st.text())
def test_parsing_is_unambiguous_for_any_text(text):
    parsed = parse_key(text)
    if parsed is not None:
        assert f"fg-{parsed[0]}-{parsed[1]}" == text


@given(key_ids, secrets_, st.data())
def test_a_damaged_key_is_refused(key_id, secret, data):
    damaged = data.draw(
        st.sampled_from(
            [
                f"sk-{key_id}-{secret}",  # another prefix
                f"FG-{key_id}-{secret}",
                f"{key_id}-{secret}",
                f"fg-{key_id.upper()}-{secret}" if key_id.upper() != key_id else "fg-",
                f"fg-{key_id[:-1]}-{secret}",  # id one short
                f"fg-{key_id}x-{secret}",  # id one long
                f"fg-{key_id}{secret}",  # separator missing
                f"fg-{key_id}-{secret[:16]}-{secret[16:]}",  # a `-` inside the secret
                f"fg-{key_id}-{secret[:31]}",  # secret too short
                f"fg-{key_id}-{secret}" + "a" * 129,  # secret too long
                f" fg-{key_id}-{secret}",
                f"fg-{key_id}-{secret}\n",
                f"fg-{key_id}-{secret[:-1]}é",
            ]
        )
    )
    assert parse_key(damaged) is None


def test_empty_and_prefix_only_keys_are_refused():
    assert parse_key("") is None
    assert parse_key("fg-") is None
    assert parse_key("fg--") is None


def test_a_secret_matches_its_own_digest_only():
    hasher = SecretHasher(b"pepper")
    _, _, secret = new_key()
    _, _, other = new_key()
    stored = hasher.digest(secret)

    assert hasher.matches(secret, stored)
    assert not hasher.matches(other, stored)
    assert not hasher.matches(secret, stored[:-1])
    assert secret not in stored
    assert re.fullmatch(r"[0-9a-f]{64}", stored)


def test_the_pepper_changes_the_digest():
    _, _, secret = new_key()
    stored = SecretHasher(b"pepper one").digest(secret)

    assert SecretHasher(b"pepper two").digest(secret) != stored
    assert not SecretHasher(b"pepper two").matches(secret, stored)


def test_an_empty_pepper_is_refused():
    with pytest.raises(ValueError):
        SecretHasher(b"")


def test_a_configured_pepper_is_used_as_is():
    pepper = pepper_from(KeysConfig(pepper="configured"), master_key="master")
    assert pepper == b"configured"
    assert pepper_from(KeysConfig(pepper="configured"), master_key="other master") == pepper


def test_a_derived_pepper_follows_the_master_key():
    first = pepper_from(KeysConfig(), master_key="master one")

    assert first == pepper_from(KeysConfig(), master_key="master one")
    assert first != pepper_from(KeysConfig(), master_key="master two")
    assert b"master one" not in first


def test_without_pepper_or_master_key_there_is_no_pepper():
    with pytest.raises(ValueError, match="pepper"):
        pepper_from(KeysConfig(), master_key="")
