"""Keys in a local SQLite file: the store of a single instance, or of processes on one host."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from typing import TypeVar

from ferrogate.keys.record import KeyRecord, decode_record, encode_record
from ferrogate.keys.store import KeyAlreadyExists, KeyNotFound, StoreUnavailable

T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000  # another process writing: wait for its lock rather than fail at once

SCHEMA = """
CREATE TABLE IF NOT EXISTS virtual_keys (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    record BLOB NOT NULL
)
"""


class SqliteKeyStore:
    """Records as msgspec JSON in one table of the file at `path` (created if missing).

    One connection serves the process, behind a lock, on worker threads so the event loop
    never waits on the disk. WAL mode lets several gateway processes share the file: readers
    do not block the writer, and each statement commits on its own. Errors from SQLite
    (a locked or unreadable file) come out as StoreUnavailable.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute(SCHEMA)
        except sqlite3.Error as error:
            raise StoreUnavailable(f"cannot open the key store {path}: {error}") from error

    async def create(self, record: KeyRecord) -> None:
        def insert() -> None:
            try:
                self._db.execute(
                    "INSERT INTO virtual_keys (id, created_at, record) VALUES (?, ?, ?)",
                    (record.id, record.created_at, encode_record(record)),
                )
            except sqlite3.IntegrityError as error:
                raise KeyAlreadyExists(record.id) from error

        await self._call(insert)

    async def get(self, key_id: str) -> KeyRecord | None:
        def select() -> KeyRecord | None:
            row = self._db.execute(
                "SELECT record FROM virtual_keys WHERE id = ?", (key_id,)
            ).fetchone()
            return None if row is None else decode_record(row[0])

        return await self._call(select)

    async def list(self) -> list[KeyRecord]:
        def select_all() -> list[KeyRecord]:
            rows = self._db.execute("SELECT record FROM virtual_keys ORDER BY created_at, id")
            return [decode_record(row[0]) for row in rows]

        return await self._call(select_all)

    async def put(self, record: KeyRecord) -> None:
        def update() -> None:
            cursor = self._db.execute(
                "UPDATE virtual_keys SET created_at = ?, record = ? WHERE id = ?",
                (record.created_at, encode_record(record), record.id),
            )
            if cursor.rowcount == 0:
                raise KeyNotFound(record.id)

        await self._call(update)

    async def delete(self, key_id: str) -> bool:
        def remove() -> bool:
            cursor = self._db.execute("DELETE FROM virtual_keys WHERE id = ?", (key_id,))
            return cursor.rowcount > 0

        return await self._call(remove)

    async def aclose(self) -> None:
        await asyncio.to_thread(self._close)

    def _close(self) -> None:
        with self._lock:
            self._db.close()

    async def _call(self, operation: Callable[[], T]) -> T:
        def locked() -> T:
            with self._lock:
                try:
                    return operation()
                except (KeyAlreadyExists, KeyNotFound):
                    raise
                except sqlite3.Error as error:
                    raise StoreUnavailable(f"key store {self.path}: {error}") from error

        return await asyncio.to_thread(locked)
