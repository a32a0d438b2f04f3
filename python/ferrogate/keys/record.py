"""What the gateway knows about one virtual key, and its stored form."""

from __future__ import annotations

from typing import Any

import msgspec


class KeyRecord(msgspec.Struct, frozen=True):
    """One virtual key. Limits and budget left at None do not apply."""

    id: str
    secret_hash: str  # hex HMAC-SHA256 of the secret under the pepper (keys.secret)
    created_at: float  # unix seconds
    models: list[str] = []  # empty: every model
    rpm: int | None = None
    tpm: int | None = None
    max_budget_usd: float | None = None
    budget_period: str | None = None  # "30d", "12h", "1w", "1mo", "45m"; None: lifetime
    expires_at: float | None = None  # unix seconds
    metadata: dict[str, Any] = {}

    def public(self) -> dict[str, Any]:
        """Every field but the secret hash, as JSON-ready values (for admin answers)."""
        fields = msgspec.to_builtins(self)
        del fields["secret_hash"]
        return fields

    def allows_model(self, model: str) -> bool:
        return not self.models or model in self.models

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at


# Stored records keep unknown fields readable (no forbid_unknown_fields), so an older
# gateway sharing the store with a newer one still verifies keys.
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(KeyRecord)


def encode_record(record: KeyRecord) -> bytes:
    return _encoder.encode(record)


def decode_record(data: bytes | str) -> KeyRecord:
    return _decoder.decode(data)
