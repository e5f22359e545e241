"""The PostgreSQL backend (psycopg): a connection per thread, the audit head locked ``FOR UPDATE``."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from gateway.storage.base import Storage, StorageError
from gateway.storage.schema import GENESIS_HASH, POSTGRES_APPEND_ONLY


class PostgresStorage(Storage):
    placeholder = "%s"
    append_only = POSTGRES_APPEND_ONLY

    def _connect(self) -> Any:
        import psycopg  # imported here: the SQLite default needs no driver

        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StorageError(f"PostgreSQL: {exc}".splitlines()[0]) from exc

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[Any]:
        import psycopg

        try:
            connection = self._connection()
            if connection.closed or connection.broken:
                self._local.connection = None
                connection = self._connection()
            with connection.transaction():
                yield connection
        except psycopg.Error as exc:
            raise StorageError(f"PostgreSQL: {exc}".splitlines()[0]) from exc

    def _lock_chain(self, connection: Any) -> None:
        self.execute(connection, "SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE")

    def init_schema(self) -> None:
        # One start at a time creates the schema (several workers start together).
        with self._transaction(write=True) as connection:
            self.execute(connection, "SELECT pg_advisory_xact_lock(7316011)")
            for statement in (*self.tables, *self.append_only):
                self.execute(connection, statement)
            if not self.execute(connection, "SELECT seq FROM audit_head WHERE id = 1").fetchall():
                self.execute(connection, "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?)", (GENESIS_HASH,))
