"""The interface every key store implements, and the errors it raises."""

from __future__ import annotations

from typing import Protocol

from ferrogate.keys.record import KeyRecord


class StoreUnavailable(Exception):
    """The store could not be reached or answered with an error; the cause is chained.

    For a client request this is a 503: the key could not be checked.
    """


class KeyAlreadyExists(Exception):
    """`create` found a record with that id already (ids are random: retry with a new one)."""


class KeyNotFound(LookupError):
    """`put` found no record to replace: the key was deleted meanwhile."""


class KeyStore(Protocol):
    async def create(self, record: KeyRecord) -> None:
        """Add a new record; raises KeyAlreadyExists if the id is taken."""
        ...

    async def get(self, key_id: str) -> KeyRecord | None: ...

    async def list(self) -> list[KeyRecord]:
        """Every record, ordered by creation time."""
        ...

    async def put(self, record: KeyRecord) -> None:
        """Replace an existing record (PATCH, rotate); raises KeyNotFound if it is gone.

        Never creates: a key deleted while it was being changed stays deleted.
        """
        ...

    async def delete(self, key_id: str) -> bool:
        """Remove a record; whether there was one."""
        ...

    async def aclose(self) -> None: ...
