"""The key lifecycle: create (the secret is shown once), read, change, rotate, delete.

Answers never carry a secret or its hash after creation. A change made here is seen at
once by this instance and within `keys.verified_ttl_s` by the others.
"""

from __future__ import annotations

import time
from typing import Any

import msgspec
import orjson

from ferrogate.errors import InvalidRequest, NotFound
from ferrogate.keys.admin_bodies import key_from_create_body, key_with_changes, period_seconds
from ferrogate.keys.record import KeyRecord
from ferrogate.keys.secret import KEY_PREFIX, SecretHasher, new_key
from ferrogate.keys.store import KeyAlreadyExists, KeyNotFound, KeyStore
from ferrogate.keys.verifier import KeyVerifier
from ferrogate.limits.admission import Limiter
from ferrogate.limits.policy import KeyLimits
from ferrogate.spend.ledger import SpendLedger

from ..http import Response

_JSON = ("content-type", "application/json")
_CREATE_ATTEMPTS = 3  # ids are random; a taken one is tried again


class KeysAdmin:
    def __init__(
        self,
        store: KeyStore,
        hasher: SecretHasher,
        verifier: KeyVerifier,
        limiter: Limiter,
        ledger: SpendLedger,
    ):
        self._store = store
        self._hasher = hasher
        self._verifier = verifier
        self._limiter = limiter
        self._ledger = ledger

    async def create(self, raw: bytes) -> Response:
        body = _json_object(raw)
        for _ in range(_CREATE_ATTEMPTS):
            key, key_id, secret = new_key()
            record = key_from_create_body(body, key_id, self._hasher.digest(secret), time.time())
            try:
                await self._store.create(record)
            except KeyAlreadyExists:
                continue
            return _answer(201, {**record.public(), "key": key})
        raise RuntimeError("could not find a free key id")

    async def list(self) -> Response:
        records = await self._store.list()
        data = [await self._view(record) for record in records]
        return _answer(200, {"object": "list", "data": data})

    async def get(self, key_id: str) -> Response:
        return _answer(200, await self._view(await self._existing(key_id)))

    async def patch(self, key_id: str, raw: bytes) -> Response:
        record = key_with_changes(await self._existing(key_id), _json_object(raw))
        await self._put(record)
        return _answer(200, await self._view(record))

    async def rotate(self, key_id: str) -> Response:
        """A new secret for the same id, limits and spend; the old secret stops working."""
        _, _, secret = new_key()
        record = await self._existing(key_id)
        record = msgspec.structs.replace(record, secret_hash=self._hasher.digest(secret))
        await self._put(record)
        return _answer(200, {**record.public(), "key": f"{KEY_PREFIX}{key_id}-{secret}"})

    async def delete(self, key_id: str) -> Response:
        if not await self._store.delete(key_id):
            raise _not_found(key_id)
        self._verifier.forget(key_id)
        return _answer(200, {"id": key_id, "object": "key", "deleted": True})

    async def budgets(self, active: set[str], limit: int) -> list[dict[str, Any]]:
        """Spend this period against budget for the keys with a budget or in ``active``
        (at most ``limit``, budgets first): the dashboard's budget bars."""
        records = [r for r in await self._store.list() if r.max_budget_usd or r.id in active]
        records.sort(key=lambda record: (record.max_budget_usd is None, record.id))
        rows = []
        for record in records[:limit]:
            period_s = period_seconds(record.budget_period) if record.budget_period else None
            spent = await self._ledger.spent(record.id, period_s)
            name = record.metadata.get("name")
            rows.append(
                {
                    "id": record.id,
                    "name": name if isinstance(name, str) else None,
                    "spend_usd": round(spent, 6),
                    "max_budget_usd": record.max_budget_usd,
                    "budget_period": record.budget_period,
                    "budget_used": round(spent / record.max_budget_usd, 4)
                    if record.max_budget_usd
                    else None,
                }
            )
        return rows

    async def _existing(self, key_id: str) -> KeyRecord:
        record = await self._store.get(key_id)
        if record is None:
            raise _not_found(key_id)
        return record

    async def _put(self, record: KeyRecord) -> None:
        try:
            await self._store.put(record)
        except KeyNotFound:
            raise _not_found(record.id) from None
        self._verifier.forget(record.id)

    async def _view(self, record: KeyRecord) -> dict[str, Any]:
        period_s = period_seconds(record.budget_period) if record.budget_period else None
        spent = await self._ledger.spent(record.id, period_s)
        usage = await self._limiter.usage(KeyLimits(record.id, record.rpm, record.tpm))
        return {**record.public(), "usage": usage, "spend_usd": round(spent, 6)}


def _json_object(raw: bytes) -> dict:
    try:
        body = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError as exc:
        raise InvalidRequest(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    return body


def _not_found(key_id: str) -> NotFound:
    return NotFound(f"No key with id `{key_id}`.", param="id", code="key_not_found")


def _answer(status: int, body: dict) -> Response:
    return Response(status, [_JSON], orjson.dumps(body))
