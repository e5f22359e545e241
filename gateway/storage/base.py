"""Storage operations (one implementation), over a SQLite or PostgreSQL connection per thread."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import random
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from gateway.storage.schema import GENESIS_HASH, POSTGRES_APPEND_ONLY, SQLITE_APPEND_ONLY, TABLES


class StorageError(Exception):
    """The database cannot be reached or used."""


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


@dataclass(frozen=True)
class CentreRecord:
    id: str
    name: str
    created_at: str
    revoked_at: str | None


@dataclass(frozen=True)
class KeyRecord:
    key_id: str
    centre_id: str
    secret_sha256: str
    signing_key: str
    scopes: frozenset[str]
    revoked: bool
    """The key or its centre is revoked."""


@dataclass(frozen=True)
class EntityRecord:
    entity_key: str
    kind: str
    name: str | None
    credit_code: str | None
    id_number: str | None
    organization_code: str | None
    registered_at: str
    registered_by: str
    first_vendor: str | None
    vendors: tuple[str, ...]
    certificates: int

    def to_dict(self) -> dict[str, Any]:
        return {"entity_key": self.entity_key, "kind": self.kind, "name": self.name, "credit_code": self.credit_code,
                "id_number": self.id_number, "organization_code": self.organization_code,
                "registered_at": self.registered_at, "registered_by": self.registered_by, "first_vendor": self.first_vendor,
                "vendors": list(self.vendors), "certificates": self.certificates}


AUDIT_FIELDS = ("seq", "at", "centre", "endpoint", "subject", "verdict", "reasons", "trust_list_sequence", "request_id")


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: str
    centre: str
    endpoint: str
    subject: str
    """JSON: masked entity key, name, certificate fingerprint."""
    verdict: str
    reasons: str
    """Reason codes, comma-separated."""
    trust_list_sequence: int | None
    request_id: str
    prev_hash: str
    hash: str

    def canonical(self) -> bytes:
        return canonical_row(tuple(getattr(self, name) for name in AUDIT_FIELDS))

    def expected_hash(self, prev_hash: str) -> str:
        """H(previous hash || canonical row)."""
        return chain_hash(prev_hash, self.canonical())


_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def canonical_row(values: tuple[Any, ...]) -> bytes:
    """The hashed form of a row: its :data:`AUDIT_FIELDS` values as a compact JSON array, UTF-8."""
    return _CANONICAL.encode(values).encode("utf-8")


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical).hexdigest()


_INSERT_AUDIT = ("INSERT INTO audit_log (seq, at, centre, endpoint, subject, verdict, reasons, trust_list_sequence, request_id, "
                 "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def utc_text(moment: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if moment is None else moment))


class _Pending:
    """An audit record waiting for the transaction that commits it."""

    __slots__ = ("fields", "row", "error", "done")

    def __init__(self, fields: tuple[Any, ...]) -> None:
        self.fields = fields
        self.row: AuditRow | None = None
        self.error: BaseException | None = None
        self.done = False


class Storage:
    """Everything the gateway keeps. Thread-safe: one connection per thread."""

    placeholder = "?"
    append_only: Sequence[str] = ()

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._audit_cond = threading.Condition()
        self._audit_queue: list[_Pending] = []
        self._audit_writing = False
        self.audit_commits = 0
        """Audit transactions committed by this process (records / commits: the group-commit batch size)."""
        self.audit_records = 0

    # -- connections (backend-specific) -------------------------------------------------------
    def _connect(self) -> Any:
        raise NotImplementedError

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[Any]:
        raise NotImplementedError
        yield

    def _lock_chain(self, connection: Any) -> None:
        """Serialise audit appends (the write transaction does it in SQLite)."""

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        return connection

    def _sql(self, statement: str) -> str:
        return statement if self.placeholder == "?" else statement.replace("?", self.placeholder)

    def execute(self, connection: Any, statement: str, params: Sequence[Any] = ()) -> Cursor:
        cursor: Cursor = connection.execute(self._sql(statement), tuple(params))
        return cursor

    def _read(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._transaction(write=False) as connection:
            return self.execute(connection, statement, params).fetchall()

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    # -- schema ---------------------------------------------------------------------------------
    def init_schema(self) -> None:
        with self._transaction(write=True) as connection:
            for statement in (*TABLES, *self.append_only):
                self.execute(connection, statement)
            if not self.execute(connection, "SELECT seq FROM audit_head WHERE id = 1").fetchall():
                self.execute(connection, "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?)", (GENESIS_HASH,))

    def ping(self) -> None:
        self._read("SELECT 1")

    # -- centres and keys -------------------------------------------------------------------------
    def add_centre(self, centre_id: str, name: str) -> None:
        with self._transaction(write=True) as connection:
            self.execute(connection, "INSERT INTO centres (id, name, created_at) VALUES (?, ?, ?)", (centre_id, name, utc_text()))

    def add_key(self, key_id: str, centre_id: str, secret_sha256: str, signing_key: str, scopes: Sequence[str]) -> None:
        with self._transaction(write=True) as connection:
            self.execute(connection, "INSERT INTO api_keys (key_id, centre_id, secret_sha256, signing_key, scopes, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (key_id, centre_id, secret_sha256, signing_key, ",".join(sorted(scopes)), utc_text()))

    def get_centre(self, centre_id: str) -> CentreRecord | None:
        rows = self._read("SELECT id, name, created_at, revoked_at FROM centres WHERE id = ?", (centre_id,))
        return CentreRecord(*rows[0]) if rows else None

    def list_centres(self) -> list[tuple[CentreRecord, list[tuple[str, str, str | None]]]]:
        """Centres with their keys as (key id, scopes, revoked_at)."""
        centres = [CentreRecord(*row) for row in self._read("SELECT id, name, created_at, revoked_at FROM centres ORDER BY id")]
        keys: dict[str, list[tuple[str, str, str | None]]] = {}
        for key_id, centre_id, scopes, revoked_at in self._read(
                "SELECT key_id, centre_id, scopes, revoked_at FROM api_keys ORDER BY created_at, key_id"):
            keys.setdefault(centre_id, []).append((key_id, scopes, revoked_at))
        return [(centre, keys.get(centre.id, [])) for centre in centres]

    def get_key(self, key_id: str) -> KeyRecord | None:
        rows = self._read("SELECT k.key_id, k.centre_id, k.secret_sha256, k.signing_key, k.scopes, k.revoked_at, c.revoked_at "
                          "FROM api_keys k JOIN centres c ON c.id = k.centre_id WHERE k.key_id = ?", (key_id,))
        if not rows:
            return None
        key_id, centre_id, secret, signing, scopes, key_revoked, centre_revoked = rows[0]
        return KeyRecord(key_id, centre_id, secret, signing, frozenset(s for s in scopes.split(",") if s),
                         key_revoked is not None or centre_revoked is not None)

    def revoke(self, identifier: str) -> str | None:
        """Revoke an API key (by key id) or a whole centre (by centre id); what was revoked, or None."""
        with self._transaction(write=True) as connection:
            now = utc_text()
            if self.execute(connection, "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                            (now, identifier)).rowcount:
                return "key"
            if self.execute(connection, "UPDATE centres SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                            (now, identifier)).rowcount:
                return "centre"
        return None

    # -- HMAC nonces and login challenges -----------------------------------------------------------
    def use_nonce(self, key_id: str, nonce: str, expires_at: int) -> bool:
        """Record a request nonce; False when it was seen before (a replay)."""
        now = int(time.time())
        with self._transaction(write=True) as connection:
            if random.random() < 0.01:
                self.execute(connection, "DELETE FROM nonces WHERE expires_at < ?", (now,))
            inserted = self.execute(connection, "INSERT INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?) "
                                    "ON CONFLICT DO NOTHING", (key_id, nonce, expires_at)).rowcount
        return inserted == 1

    def add_challenge(self, challenge: str, centre_id: str, expires_at: int) -> None:
        with self._transaction(write=True) as connection:
            if random.random() < 0.01:
                self.execute(connection, "DELETE FROM challenges WHERE expires_at < ?", (int(time.time()) - 86400,))
            self.execute(connection, "INSERT INTO challenges (challenge, centre_id, expires_at) VALUES (?, ?, ?)",
                         (challenge, centre_id, expires_at))

    def consume_challenge(self, challenge: str, centre_id: str, now: float) -> str:
        """Use a challenge once: ``ok``, or why not (``unknown``, ``used``, ``expired``)."""
        with self._transaction(write=True) as connection:
            if self.execute(connection, "UPDATE challenges SET used_at = ? WHERE challenge = ? AND centre_id = ? "
                            "AND used_at IS NULL AND expires_at >= ?", (int(now), challenge, centre_id, int(now))).rowcount == 1:
                return "ok"
            rows = self.execute(connection, "SELECT used_at, expires_at FROM challenges WHERE challenge = ? AND centre_id = ?",
                                (challenge, centre_id)).fetchall()
        if not rows:
            return "unknown"
        return "used" if rows[0][0] is not None else "expired"

    # -- the entity registry ---------------------------------------------------------------------------
    def register_entity(self, fields: dict[str, Any], cert_sha256: str, vendor: str | None, centre_id: str) -> tuple[EntityRecord, bool]:
        """Register the entity on first sight and link the certificate; (record, newly registered)."""
        now = utc_text()
        key = fields["entity_key"]
        with self._transaction(write=True) as connection:
            created = self.execute(
                connection, "INSERT INTO entities (entity_key, kind, name, credit_code, id_number, organization_code, "
                "registered_at, registered_by, first_vendor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (key, fields["kind"], fields["name"], fields["credit_code"], fields["id_number"], fields["organization_code"],
                 now, centre_id, vendor)).rowcount == 1
            self.execute(connection, "INSERT INTO entity_certificates (cert_sha256, entity_key, vendor, first_seen_at, centre_id) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", (cert_sha256, key, vendor, now, centre_id))
            record = self._entity(connection, key)
        assert record is not None
        return record, created

    def _entity(self, connection: Any, key: str) -> EntityRecord | None:
        rows = self.execute(connection, "SELECT entity_key, kind, name, credit_code, id_number, organization_code, registered_at, "
                            "registered_by, first_vendor FROM entities WHERE entity_key = ?", (key,)).fetchall()
        if not rows:
            return None
        links = self.execute(connection, "SELECT vendor FROM entity_certificates WHERE entity_key = ?", (key,)).fetchall()
        vendors = tuple(sorted({vendor for (vendor,) in links if vendor}))
        key, kind, name, credit_code, id_number, organization_code, registered_at, registered_by, first_vendor = rows[0]
        return EntityRecord(key, kind, name, credit_code, id_number, organization_code, registered_at, registered_by,
                            first_vendor, vendors, len(links))

    # -- the audit log ------------------------------------------------------------------------------------
    def append_audit(self, at: str, centre: str, endpoint: str, subject: str, verdict: str, reasons: str,
                     trust_list_sequence: int | None, request_id: str) -> AuditRow:
        """Append one record to the chain and commit it; returns the row as stored.

        Group commit: records that arrive while another thread of this process is committing wait
        and are then committed together, in one transaction, by one of them (each still chained
        row by row, and each caller returns only after the transaction holding its row committed).
        Under load that spreads one lock, one head read and one commit over several decisions."""
        entry = _Pending((at, centre, endpoint, subject, verdict, reasons, trust_list_sequence, request_id))
        with self._audit_cond:
            self._audit_queue.append(entry)
            while self._audit_writing and not entry.done:
                self._audit_cond.wait()
            if not entry.done:
                batch, self._audit_queue = self._audit_queue, []
                self._audit_writing = True
        if not entry.done:
            try:
                rows = self._append_batch([pending.fields for pending in batch])
                outcome: list[tuple[AuditRow | None, BaseException | None]] = [(row, None) for row in rows]
            except BaseException as exc:  # every waiter of the batch learns the failure
                outcome = [(None, exc)] * len(batch)
            with self._audit_cond:
                if outcome[0][1] is None:
                    self.audit_commits += 1
                    self.audit_records += len(batch)
                for pending, (row, error) in zip(batch, outcome):
                    pending.row, pending.error, pending.done = row, error, True
                self._audit_writing = False
                self._audit_cond.notify_all()
        if entry.error is not None:
            raise entry.error
        assert entry.row is not None
        return entry.row

    def _append_batch(self, records: Sequence[tuple[Any, ...]]) -> list[AuditRow]:
        """Chain ``records`` after the head and commit them, with the head, in one transaction."""
        stored: list[tuple[Any, ...]] = []
        with self._transaction(write=True) as connection:
            self._lock_chain(connection)
            head_seq, head_hash = self.execute(connection, "SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
            seq, previous = int(head_seq), str(head_hash)
            for record in records:
                seq += 1
                values = (seq, *record)
                digest = chain_hash(previous, canonical_row(values))
                stored.append((*values, previous, digest))
                previous = digest
            connection.cursor().executemany(self._sql(_INSERT_AUDIT), stored)
            self.execute(connection, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, previous))
        return [AuditRow(*row) for row in stored]

    def audit_rows(self, batch: int = 5000) -> Iterator[AuditRow]:
        """Every audit row in storage order (by seq), read in batches."""
        after = -1
        while True:
            rows = self._read("SELECT seq, at, centre, endpoint, subject, verdict, reasons, trust_list_sequence, request_id, "
                              "prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", (after, batch))
            for row in rows:
                yield AuditRow(*row)
            if len(rows) < batch:
                return
            after = rows[-1][0]

    def audit_head(self) -> tuple[int, str]:
        seq, head = self._read("SELECT seq, hash FROM audit_head WHERE id = 1")[0]
        return int(seq), str(head)

    def audit_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM audit_log")[0][0])


class SQLiteStorage(Storage):
    append_only = SQLITE_APPEND_ONLY

    def __init__(self, url: str, synchronous: str = "FULL") -> None:
        super().__init__(url)
        self.path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url.removeprefix("sqlite://")
        self.synchronous = synchronous.upper()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)

    _write_lock = threading.Lock()
    _lock_files: dict[str, Any] = {}

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
    def _transaction(self, write: bool) -> Iterator[Any]:
        """Reads run in autocommit. Writes: one writer at a time across threads (a lock) and
        processes (``flock`` on ``<db>.lock``), then ``BEGIN IMMEDIATE`` ... ``COMMIT``.

        SQLite's own busy handler polls with sleeps of 1 to 100 ms when another process holds the
        write lock; under load that idles the workers. A blocking ``flock`` wakes the next writer as
        soon as the lock is released, so ``BEGIN IMMEDIATE`` never waits. (One context manager, not
        three nested ones: every decided request passes here.)"""
        connection = self._connection()
        if not write:
            try:
                yield connection
            except sqlite3.Error as exc:
                raise StorageError(f"{self.path}: {exc}") from exc
            return
        handle = None if self.path == ":memory:" else self._lock_file()
        with self._write_lock:
            if handle is not None:
                fcntl.flock(handle, fcntl.LOCK_EX)
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
            finally:
                if handle is not None:
                    fcntl.flock(handle, fcntl.LOCK_UN)


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
            for statement in (*TABLES, *self.append_only):
                self.execute(connection, statement)
            if not self.execute(connection, "SELECT seq FROM audit_head WHERE id = 1").fetchall():
                self.execute(connection, "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?)", (GENESIS_HASH,))


def open_storage(url: str, *, sqlite_synchronous: str = "FULL") -> Storage:
    """The storage for a ``sqlite:///path`` or ``postgresql://`` URL."""
    if url.startswith("sqlite:"):
        return SQLiteStorage(url, sqlite_synchronous)
    if url.startswith(("postgresql:", "postgres:")):
        return PostgresStorage(url)
    raise StorageError(f"unsupported database URL {url!r}")
