"""The SQLite backend (WAL): writers serialised by ``flock``, the audit append as one statement."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from gateway.storage.base import _INSERT_AUDIT, AuditRow, Storage, StorageError
from gateway.storage.schema import SQLITE_APPEND_ONLY, SQLITE_AUDIT_APPEND, SQLITE_TABLES


@functools.lru_cache(maxsize=64)
def _insert_rows(count: int) -> str:
    """One ``INSERT`` of ``count`` audit rows."""
    return _INSERT_AUDIT + ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" * (count - 1)


class SQLiteStorage(Storage):
    tables = SQLITE_TABLES
    append_only = SQLITE_APPEND_ONLY

    def __init__(self, url: str, synchronous: str = "FULL") -> None:
        super().__init__(url)
        self.path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url.removeprefix("sqlite://")
        self.synchronous = synchronous.upper()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)

    _write_lock = threading.Lock()
    _lock_files: dict[str, Any] = {}
    """Lock files by database path, opened once per process: ``flock`` excludes other open files,
    so a forked child (a preloading server's worker) opens its own."""

    def _lock_file(self) -> Any:
        handle = self._lock_files.get(self.path)
        if handle is None:
            handle = self._lock_files[self.path] = open(self.path + ".lock", "a")
        return handle

    def _connect(self) -> Any:
        try:
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(f"PRAGMA synchronous={self.synchronous}")
            connection.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StorageError(f"{self.path}: {exc}") from exc
        return connection

    @contextlib.contextmanager
    def _write_locked(self) -> Iterator[None]:
        """One writer at a time, across threads (a lock) and processes (``flock`` on ``<db>.lock``).

        SQLite's own busy handler polls with sleeps of 1 to 100 ms when another process holds the
        write lock; under load that idles the workers. A blocking ``flock`` wakes the next writer as
        soon as the lock is released, so the write that follows never waits inside SQLite."""
        handle = None if self.path == ":memory:" else self._lock_file()
        with self._write_lock:
            if handle is not None:
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                if handle is not None:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[Any]:
        """Reads run in autocommit. Writes: under :meth:`_write_locked`, ``BEGIN IMMEDIATE`` ... ``COMMIT``."""
        connection = self._connection()
        if not write:
            try:
                yield connection
            except sqlite3.Error as exc:
                raise StorageError(f"{self.path}: {exc}") from exc
            return
        with self._write_locked():
            try:
                connection.execute("BEGIN IMMEDIATE")  # takes the write lock now: appends are serialised
                try:
                    yield connection
                except BaseException:
                    if connection.in_transaction:
                        connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StorageError(f"{self.path}: {exc}") from exc

    def _append_batch(self, take: Callable[[], Sequence[tuple[Any, ...]]]) -> list[AuditRow]:
        """The group commit as one statement: a multi-row ``INSERT`` in autocommit, whose temporary
        triggers (:data:`SQLITE_AUDIT_APPEND`, on this connection) refuse a row that does not
        extend the head and move the head, in the same implicit transaction.

        Every SQLite call lets go of the GIL, and a thread that wants it back waits while the
        other threads of the worker verify; holding the chain's lock through fewer calls (a head
        read and one insert, not begin, read, insert per row, update, commit) shortens the time the
        other worker waits for it. Should the head move between the read and the insert (a writer
        that does not take the lock), the insert is refused whole and the batch is chained again
        in a ``BEGIN IMMEDIATE`` transaction."""
        connection = self._connection()
        with self._write_locked():
            try:
                if not getattr(self._local, "audit_triggers", False):
                    for statement in SQLITE_AUDIT_APPEND:
                        connection.execute(statement)
                    self._local.audit_triggers = True
                records = take()
                try:
                    stored = self._insert_chained(connection, records)
                except sqlite3.IntegrityError:
                    connection.execute("BEGIN IMMEDIATE")
                    try:
                        stored = self._insert_chained(connection, records)
                    except BaseException:
                        connection.execute("ROLLBACK")
                        raise
                    connection.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StorageError(f"{self.path}: {exc}") from exc
        return [AuditRow(*row) for row in stored]

    def _insert_chained(self, connection: Any, records: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        # fetchall: the statement runs to its end and ends its read transaction (a statement left
        # pending would keep this connection on its snapshot, a head that moves on).
        ((head_seq, head_hash),) = connection.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchall()
        stored = self._chain(int(head_seq), str(head_hash), records)
        connection.execute(_insert_rows(len(stored)), [value for row in stored for value in row])
        return stored

    def close(self) -> None:
        super().close()
        self._local.audit_triggers = False


os.register_at_fork(after_in_child=SQLiteStorage._lock_files.clear)
