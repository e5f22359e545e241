"""Table definitions, portable between SQLite and PostgreSQL (types both accept)."""

from __future__ import annotations

_TABLES = (
    """CREATE TABLE IF NOT EXISTS centres (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS api_keys (
        key_id TEXT PRIMARY KEY, centre_id TEXT NOT NULL REFERENCES centres(id),
        secret_sha256 TEXT NOT NULL, signing_key TEXT NOT NULL, scopes TEXT NOT NULL,
        created_at TEXT NOT NULL, revoked_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS nonces (
        key_id TEXT NOT NULL, nonce TEXT NOT NULL, expires_at BIGINT NOT NULL, PRIMARY KEY (key_id, nonce))""",
    """CREATE TABLE IF NOT EXISTS challenges (
        challenge TEXT PRIMARY KEY, centre_id TEXT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)""",
    """CREATE TABLE IF NOT EXISTS entities (
        entity_key TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT, credit_code TEXT, id_number TEXT,
        organization_code TEXT, registered_at TEXT NOT NULL, registered_by TEXT NOT NULL, first_vendor TEXT)""",
    """CREATE TABLE IF NOT EXISTS entity_certificates (
        cert_sha256 TEXT PRIMARY KEY, entity_key TEXT NOT NULL REFERENCES entities(entity_key),
        vendor TEXT, first_seen_at TEXT NOT NULL, centre_id TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS audit_log (
        seq {seq_type} PRIMARY KEY, at TEXT NOT NULL, centre TEXT NOT NULL, endpoint TEXT NOT NULL,
        subject TEXT NOT NULL, verdict TEXT NOT NULL, reasons TEXT NOT NULL, trust_list_sequence BIGINT,
        request_id TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL)""",
)

TABLES = tuple(statement.replace("{seq_type}", "BIGINT") for statement in _TABLES)
SQLITE_TABLES = tuple(statement.replace("{seq_type}", "INTEGER") for statement in _TABLES)
"""In SQLite an ``INTEGER PRIMARY KEY`` is the rowid: the audit log is one b-tree, not a table and an
index, so an append writes fewer pages (a database created before keeps its ``BIGINT`` key: same
rows, same chain)."""

SQLITE_APPEND_ONLY = (
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
)

SQLITE_AUDIT_APPEND = (
    """CREATE TEMP TRIGGER IF NOT EXISTS audit_append_extends_head BEFORE INSERT ON main.audit_log
       WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1)
         OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head WHERE id = 1)
       BEGIN SELECT RAISE(ABORT, 'audit record does not extend the chain head'); END""",
    """CREATE TEMP TRIGGER IF NOT EXISTS audit_append_moves_head AFTER INSERT ON main.audit_log
       BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END""",
)
"""Temporary triggers (on the appending connection only) that make an audit append one statement:
a row must extend the head, and the head follows every inserted row in the same transaction."""

POSTGRES_APPEND_ONLY = (
    """CREATE OR REPLACE FUNCTION certmutual_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$""",
    """DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_log_append_only') THEN
           CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
             FOR EACH ROW EXECUTE FUNCTION certmutual_audit_append_only();
         END IF;
       END $$""",
)

GENESIS_HASH = "0" * 64
