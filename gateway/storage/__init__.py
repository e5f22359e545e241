"""The gateway's storage: centres and API keys, HMAC nonces, login challenges, the entity registry
and the hash-chained audit log, in SQLite (the embedded default) or PostgreSQL (production).

One class of SQL for both: statements are written with ``?`` placeholders and the PostgreSQL backend
rewrites them to ``%s``. Each thread of each worker holds its own connection. Only this package
writes SQL; views call its methods.
"""

from __future__ import annotations

from gateway.storage.base import AuditRow, CentreRecord, EntityRecord, KeyRecord, Storage, StorageError
from gateway.storage.postgres import PostgresStorage
from gateway.storage.sqlite import SQLiteStorage


def open_storage(url: str, *, sqlite_synchronous: str = "FULL") -> Storage:
    """The storage for a ``sqlite:///path`` or ``postgresql://`` URL."""
    if url.startswith("sqlite:"):
        return SQLiteStorage(url, sqlite_synchronous)
    if url.startswith(("postgresql:", "postgres:")):
        return PostgresStorage(url)
    raise StorageError(f"unsupported database URL {url!r}")


__all__ = ["AuditRow", "CentreRecord", "EntityRecord", "KeyRecord", "PostgresStorage", "SQLiteStorage", "Storage", "StorageError",
           "open_storage"]
