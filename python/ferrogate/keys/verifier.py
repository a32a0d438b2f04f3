"""Turn a presented key into its record, or a 401, reading the store as little as possible."""

from __future__ import annotations

import time
from collections import OrderedDict

from ferrogate.errors import AuthenticationFailed
from ferrogate.keys.record import KeyRecord
from ferrogate.keys.secret import SecretHasher, parse_key
from ferrogate.keys.store import KeyStore, StoreUnavailable

MAX_ENTRIES = 10_000  # records kept per process; the least recently used one goes first
NEGATIVE_TTL_S = 1.0  # an unknown id is not looked up again for this long
# While the store is unreachable, a record read this recently keeps being served.
OUTAGE_GRACE_S = 600.0

MALFORMED = "Malformed API key: expected a key of the form fg-<id>-<secret>."
# One message for an unknown id and a wrong secret, so answers do not tell which ids exist.
INVALID = "Invalid API key."
EXPIRED = "API key expired."


class KeyVerifier:
    """Checks presented keys against the store through a small cache of records.

    A record read from the store is trusted for `ttl_s` seconds: a key revoked or changed on
    another instance stops working (or changes) here within `ttl_s`. The cache holds records,
    never outcomes: every call checks the presented secret against the record's hash, so a
    wrong secret is refused even for a cached id.

    When the store is down (StoreUnavailable), a key read in the last `outage_grace_s`
    seconds keeps working from the cache, so an outage does not lock out clients that were
    just served; a revocation written before the outage is only seen once the store is back.
    A key not in the cache lets StoreUnavailable through: the caller answers 503.
    """

    def __init__(
        self,
        store: KeyStore,
        hasher: SecretHasher,
        ttl_s: float,
        *,
        max_entries: int = MAX_ENTRIES,
        negative_ttl_s: float = NEGATIVE_TTL_S,
        outage_grace_s: float = OUTAGE_GRACE_S,
    ) -> None:
        self._store = store
        self._hasher = hasher
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._negative_ttl_s = negative_ttl_s
        self._outage_grace_s = outage_grace_s
        self._records: OrderedDict[str, tuple[KeyRecord, float]] = OrderedDict()  # read at
        self._unknown: OrderedDict[str, float] = OrderedDict()  # id -> looked up at

    async def verify(self, presented: str) -> KeyRecord:
        """The record of a valid, unexpired key; AuthenticationFailed otherwise."""
        parsed = parse_key(presented)
        if parsed is None:
            raise AuthenticationFailed(MALFORMED)
        key_id, secret = parsed

        record = await self._record(key_id)
        if record is None or not self._hasher.matches(secret, record.secret_hash):
            raise AuthenticationFailed(INVALID)
        if record.expired(time.time()):
            raise AuthenticationFailed(EXPIRED)
        return record

    def forget(self, key_id: str) -> None:
        """Drop what is cached about `key_id` (after a change made through this instance)."""
        self._records.pop(key_id, None)
        self._unknown.pop(key_id, None)

    def cached_count(self) -> int:
        """How many records the cache holds (bounded by `max_entries`)."""
        return len(self._records)

    async def _record(self, key_id: str) -> KeyRecord | None:
        now = time.monotonic()
        cached = self._records.get(key_id)
        if cached is not None and now - cached[1] < self._ttl_s:
            self._records.move_to_end(key_id)
            return cached[0]
        looked_up_at = self._unknown.get(key_id)
        if looked_up_at is not None and now - looked_up_at < self._negative_ttl_s:
            return None

        try:
            record = await self._store.get(key_id)
        except StoreUnavailable:
            if cached is not None and now - cached[1] < self._outage_grace_s:
                return cached[0]
            raise

        if record is None:
            self._records.pop(key_id, None)
            self._remember(self._unknown, key_id, time.monotonic())
        else:
            self._unknown.pop(key_id, None)
            self._remember(self._records, key_id, (record, time.monotonic()))
        return record

    def _remember(self, cache: OrderedDict, key_id: str, value: object) -> None:
        cache[key_id] = value
        cache.move_to_end(key_id)
        while len(cache) > self._max_entries:
            cache.popitem(last=False)
