"""Storage operations (one implementation), over a SQLite or PostgreSQL connection per thread; the
backends (connections, transactions, the audit append's locking) are in ``sqlite`` and ``postgres``."""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency
    orjson = None  # type: ignore[assignment]

from gateway.storage.schema import GENESIS_HASH, TABLES


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


_ORJSON_SAME = frozenset({str, int, type(None)})
"""Value types orjson writes exactly as :data:`_CANONICAL` does (within 64-bit integers)."""


def canonical_row(values: tuple[Any, ...]) -> bytes:
    """The hashed form of a row: its :data:`AUDIT_FIELDS` values as a compact JSON array, UTF-8
    (``json`` with ``ensure_ascii=False`` and no spaces; orjson writes the same bytes for strings,
    integers and nulls, ten times faster, and the standard library writes anything else)."""
    if orjson is not None and all(type(value) in _ORJSON_SAME for value in values):
        try:
            return orjson.dumps(values)
        except TypeError:  # an integer beyond 64 bits, a lone surrogate
            pass
    return _CANONICAL.encode(values).encode("utf-8")


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical).hexdigest()


_INSERT_AUDIT = ("INSERT INTO audit_log (seq, at, centre, endpoint, subject, verdict, reasons, trust_list_sequence, request_id, "
                 "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


AUDIT_BATCH_LIMIT = 256
"""The most records one group commit writes (the rest wait for the next)."""
AUDIT_WINDOW_SECONDS = 0.001
"""The longest a commit waits for the records it expects (see :meth:`Storage._fill_window`)."""


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
    tables: Sequence[str] = TABLES
    append_only: Sequence[str] = ()

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        lock = threading.Lock()
        self._audit_cond = threading.Condition(lock)
        """Records waiting for their commit wait on it."""
        self._audit_window = threading.Condition(lock)
        """The writer waits on it, in its commit window, for the records it expects."""
        self._audit_queue: list[_Pending] = []
        self._audit_writing = False
        self._audit_filling = False
        self._audit_expected = 1
        """How many records a commit gathers under the current load: the last batches' size."""
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
            for statement in (*self.tables, *self.append_only):
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

        Group commit: records that arrive while another thread of this process is committing wait,
        and the next of them to write takes, once it holds the chain's lock, every record queued by
        then (those that arrived while it waited for the lock too) and commits them in one
        transaction, each still chained row by row. Every caller returns only after the
        transaction holding its row committed. Under load that spreads one lock, one head read and
        one commit over several decisions."""
        entry = _Pending((at, centre, endpoint, subject, verdict, reasons, trust_list_sequence, request_id))
        cond = self._audit_cond
        with cond:
            self._audit_queue.append(entry)
            if self._audit_filling and len(self._audit_queue) >= self._audit_expected:
                self._audit_window.notify()
            while not entry.done:
                if not self._audit_writing:
                    self._audit_writing = True
                    self._fill_window()
                    break
                cond.wait()
        batch: list[_Pending] = []

        def take() -> list[tuple[Any, ...]]:
            """The records to write, taken from the queue once the chain is locked."""
            with cond:
                batch.extend(self._audit_queue[:AUDIT_BATCH_LIMIT])
                del self._audit_queue[:len(batch)]
                self._audit_expected = max(len(batch), self._audit_expected - 1)
            return [pending.fields for pending in batch]

        while not entry.done:  # this thread writes, until its own record is committed
            batch.clear()
            try:
                rows = self._append_batch(take)
                outcome: list[tuple[AuditRow | None, BaseException | None]] = [(row, None) for row in rows]
            except BaseException as exc:  # every waiter of the batch learns the failure
                if not batch:
                    take()
                outcome = [(None, exc)] * len(batch)
            with cond:
                if batch and outcome[0][1] is None:
                    self.audit_commits += 1
                    self.audit_records += len(batch)
                for pending, (row, error) in zip(batch, outcome):
                    pending.row, pending.error, pending.done = row, error, True
                if entry.done:
                    self._audit_writing = False
                cond.notify_all()
        if entry.error is not None:
            raise entry.error
        assert entry.row is not None
        return entry.row

    def _fill_window(self) -> None:
        """The commit window (called by the writer, holding the condition): wait, at most
        :data:`AUDIT_WINDOW_SECONDS`, until as many records are queued as the last commits gathered.

        Under load the worker's other threads are finishing their decisions; one commit then holds
        them all. The expectation follows the load: it rises with a larger batch and falls by one
        after each smaller one, so a lone request (expecting one record, its own) never waits."""
        expected = min(self._audit_expected, AUDIT_BATCH_LIMIT)
        if len(self._audit_queue) >= expected:
            return
        deadline = time.monotonic() + AUDIT_WINDOW_SECONDS
        self._audit_filling = True
        try:
            while len(self._audit_queue) < expected:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._audit_window.wait(remaining)
        finally:
            self._audit_filling = False

    def _chain(self, head_seq: int, head_hash: str, records: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """``records`` as rows chained after the head: (seq, *record, prev_hash, hash)."""
        stored: list[tuple[Any, ...]] = []
        seq, previous = head_seq, head_hash
        for record in records:
            seq += 1
            values = (seq, *record)
            digest = chain_hash(previous, canonical_row(values))
            stored.append((*values, previous, digest))
            previous = digest
        return stored

    def _append_batch(self, take: Callable[[], Sequence[tuple[Any, ...]]]) -> list[AuditRow]:
        """Lock the chain, then chain the records ``take()`` gives after the head and commit them,
        with the head, in one transaction."""
        with self._transaction(write=True) as connection:
            self._lock_chain(connection)
            records = take()
            head_seq, head_hash = self.execute(connection, "SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
            stored = self._chain(int(head_seq), str(head_hash), records)
            connection.cursor().executemany(self._sql(_INSERT_AUDIT), stored)
            self.execute(connection, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (stored[-1][0], stored[-1][-1]))
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
