"""Virtual key format (`fg-<id>-<secret>`) and the keyed hash under which secrets are stored.

The id is public: it names the key in the admin API, logs and storage. The secret is shown
once, at creation, and only its HMAC-SHA256 under a server-side pepper is kept, so a copy of
the store (a Redis dump, the SQLite file) cannot be turned back into working keys, and a
guess at a secret cannot be checked without the pepper.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

KEY_PREFIX = "fg-"
ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # base32, lowercase: no `-`, easy to read out
ID_LENGTH = 12  # 60 random bits: collisions are left to `create` refusing a taken id
SECRET_BYTES = 32  # 256 random bits; token_urlsafe turns them into 43 characters
# The secret never contains `-` (new_key replaces it), so the one `-` after the id is the
# only separator. The length is bounded so a huge header is refused before any hashing.
KEY_PATTERN = re.compile(r"fg-([a-z2-7]{12})-([A-Za-z0-9_]{32,128})")
PEPPER_LABEL = b"ferrogate key pepper"


def new_key() -> tuple[str, str, str]:
    """A fresh key as (full key `fg-<id>-<secret>`, key id, secret)."""
    key_id = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
    # `-` becomes `_`: 63 symbols instead of 64 over 43 characters still leave 257 bits.
    secret = secrets.token_urlsafe(SECRET_BYTES).replace("-", "_")
    return f"{KEY_PREFIX}{key_id}-{secret}", key_id, secret


def parse_key(presented: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed key; None for anything else."""
    match = KEY_PATTERN.fullmatch(presented)
    if match is None:
        return None
    return match.group(1), match.group(2)


class SecretHasher:
    """HMAC-SHA256 of secrets under the pepper, compared in constant time."""

    def __init__(self, pepper: bytes) -> None:
        if not pepper:
            raise ValueError("the pepper must not be empty")
        self._pepper = pepper

    def digest(self, secret: str) -> str:
        """The hex digest to store for `secret`."""
        return hmac.new(self._pepper, secret.encode(), hashlib.sha256).hexdigest()

    def matches(self, secret: str, stored: str) -> bool:
        """Whether `secret` hashes to `stored`, in time independent of where they differ."""
        return hmac.compare_digest(self.digest(secret), stored)


def pepper_from(keys_config, master_key: str) -> bytes:
    """The configured pepper, else one derived from the master key.

    A derived pepper ties every stored hash to the master key: changing the master key
    invalidates every virtual key. Set `keys.pepper` to rotate the master key on its own.
    """
    if keys_config.pepper:
        return keys_config.pepper.encode()
    if not master_key:
        raise ValueError("virtual keys need keys.pepper or a master key to derive it from")
    return hmac.new(master_key.encode(), PEPPER_LABEL, hashlib.sha256).digest()
