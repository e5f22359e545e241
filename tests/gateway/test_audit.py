"""The audit trail: one record per decided request, hash-chained, and any edit, deletion or
reordering named by ``audit verify`` (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.audit import verify_chain
from gateway.storage import Storage, StorageError
from tests.gateway.conftest import Gateway, request_body
from tests.shared_data import REPO_ROOT

VERIFY = "/v1/certificates/verify"


def _decide(gateway: Gateway, count: int) -> int:
    """Make ``count`` decided requests among undecided ones; return the number decided."""
    decided = 0
    for index in range(count):
        assert gateway.post(VERIFY, request_body(gateway, index % 2)).status_code == 200
        decided += 1
        gateway.client.post(VERIFY, json=request_body(gateway))  # unauthenticated: refused, not decided
        gateway.client.post(VERIFY, data=b"x", content_type="text/plain", headers=gateway.auth())  # 415: not decided
    response = gateway.post("/v1/entities/resolve", request_body(gateway))
    assert response.status_code == 200
    return decided + 1


def _tamper(storage: Storage, statement: str, params: tuple[object, ...] = ()) -> None:
    """What someone with the database's owner rights could do: lift the append-only guard, then write."""
    with storage._transaction(write=True) as connection:
        if storage.placeholder == "?":
            storage.execute(connection, "DROP TRIGGER IF EXISTS audit_log_no_update")
            storage.execute(connection, "DROP TRIGGER IF EXISTS audit_log_no_delete")
        else:
            storage.execute(connection, "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        storage.execute(connection, statement, params)


def test_every_decision_is_recorded_and_the_chain_verifies(gateway: Gateway) -> None:
    decided = _decide(gateway, 5)
    storage = gateway.state.storage
    assert storage.audit_count() == decided
    report = verify_chain(storage)
    assert report.ok and report.records == decided and report.head == storage.audit_head()[1]
    rows = list(storage.audit_rows())
    assert [row.seq for row in rows] == list(range(1, decided + 1))
    first = rows[0]
    assert first.centre == "demo-centre" and first.endpoint == "certificates/verify" and first.verdict == "valid"
    assert first.reasons == "ok" and first.trust_list_sequence == 1
    subject = json.loads(first.subject)
    assert subject["entity"] == "org:70*****36" and len(subject["certificate"]) == 64
    assert rows[-1].endpoint == "entities/resolve"


def test_the_log_is_append_only(gateway: Gateway) -> None:
    _decide(gateway, 1)
    storage = gateway.state.storage
    with pytest.raises(StorageError):
        with storage._transaction(write=True) as connection:
            storage.execute(connection, "UPDATE audit_log SET verdict = 'valid' WHERE seq = 1")
    with pytest.raises(StorageError):
        with storage._transaction(write=True) as connection:
            storage.execute(connection, "DELETE FROM audit_log WHERE seq = 1")


def test_an_edited_row_is_named(gateway: Gateway) -> None:
    _decide(gateway, 4)
    _tamper(gateway.state.storage, "UPDATE audit_log SET verdict = 'invalid' WHERE seq = 3")
    report = verify_chain(gateway.state.storage)
    assert not report.ok and report.row == 3 and "altered" in (report.problem or "")


def test_a_rehashed_edit_is_named(gateway: Gateway) -> None:
    _decide(gateway, 4)
    storage = gateway.state.storage
    row = [r for r in storage.audit_rows() if r.seq == 2][0]
    forged = type(row)(**{**row.__dict__, "verdict": "invalid"})
    _tamper(storage, "UPDATE audit_log SET verdict = 'invalid', hash = ? WHERE seq = 2", (forged.expected_hash(row.prev_hash),))
    report = verify_chain(storage)
    assert not report.ok and report.row == 2


def test_a_deleted_row_is_named(gateway: Gateway) -> None:
    _decide(gateway, 4)
    _tamper(gateway.state.storage, "DELETE FROM audit_log WHERE seq = 2")
    report = verify_chain(gateway.state.storage)
    assert not report.ok and report.row == 2 and "deleted" in (report.problem or "")


def test_a_deleted_tail_is_named(gateway: Gateway) -> None:
    decided = _decide(gateway, 3)
    _tamper(gateway.state.storage, "DELETE FROM audit_log WHERE seq = ?", (decided,))
    report = verify_chain(gateway.state.storage)
    assert not report.ok and report.row == decided


def test_reordered_rows_are_named(gateway: Gateway) -> None:
    _decide(gateway, 4)
    storage = gateway.state.storage
    _tamper(storage, "UPDATE audit_log SET seq = -1 WHERE seq = 2")
    _tamper(storage, "UPDATE audit_log SET seq = 2 WHERE seq = 3")
    _tamper(storage, "UPDATE audit_log SET seq = 3 WHERE seq = -1")
    report = verify_chain(storage)
    assert not report.ok and report.row == 2


def _cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-m", "certmutual.cli", *args, "--config", str(config)], capture_output=True,
                          text=True, env=env, cwd=REPO_ROOT, timeout=120)


def test_audit_verify_command_passes_then_names_the_edited_row(gateway: Gateway, tmp_path: Path) -> None:
    _decide(gateway, 3)
    config = tmp_path / "gateway.toml"
    config.write_text(f'state_dir = "{gateway.state_dir}"\ndatabase = "{gateway.config["database"]}"\n')
    intact = _cli(config, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert f"{gateway.state.storage.audit_count()} records" in intact.stdout
    _tamper(gateway.state.storage, "UPDATE audit_log SET centre = 'someone-else' WHERE seq = 2")
    broken = _cli(config, "audit", "verify")
    assert broken.returncode == 1
    assert "row 2" in broken.stdout and "altered" in broken.stdout


def test_centres_commands(sqlite_gateway: Gateway, tmp_path: Path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text(f'state_dir = "{sqlite_gateway.state_dir}"\ndatabase = "{sqlite_gateway.config["database"]}"\n')
    added = _cli(config, "centres", "add", "city-x", "--name", "某市交易中心", "--scopes", "certificates")
    assert added.returncode == 0, added.stderr
    key = added.stdout.strip()
    assert key.startswith("cmk.")
    assert sqlite_gateway.post(VERIFY, request_body(sqlite_gateway), key=key).status_code == 200
    response = sqlite_gateway.post("/v1/entities/resolve", request_body(sqlite_gateway), key=key)
    assert response.status_code == 403
    listed = _cli(config, "centres", "list")
    assert "city-x" in listed.stdout and key.split(".")[1] in listed.stdout and key.split(".")[2] not in listed.stdout
    assert _cli(config, "centres", "revoke", "city-x").returncode == 0
    assert sqlite_gateway.post(VERIFY, request_body(sqlite_gateway), key=key).status_code == 401
    assert _cli(config, "centres", "revoke", "nobody").returncode == 1
    bad = _cli(config, "centres", "add", "Bad Id!", "--name", "x")
    assert bad.returncode == 2 and "centre id" in bad.stderr


def test_a_decision_that_cannot_be_recorded_is_not_given(sqlite_gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise StorageError("disk full")

    monkeypatch.setattr(sqlite_gateway.state.storage, "append_audit", broken)
    response = sqlite_gateway.post(VERIFY, {"certificate": base64.b64encode(b"\x30\x00").decode()})
    assert response.status_code == 503 and response.get_json()["code"] == "audit_unavailable"
    assert "accepted" not in response.get_json()


def test_concurrent_decisions_are_group_committed_into_one_intact_chain(gateway: Gateway) -> None:
    import threading

    storage = gateway.state.storage
    rows: list[object] = []
    lock = threading.Lock()

    def decide(worker: int) -> None:
        for index in range(15):
            row = storage.append_audit("2026-01-01T00:00:00Z", f"centre-{worker}", "certificates/verify", "{}", "valid", "ok", 1,
                                       f"{worker}-{index}")
            with lock:
                rows.append(row)

    threads = [threading.Thread(target=decide, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert storage.audit_count() == 120 == len(rows)
    assert sorted(row.seq for row in rows) == list(range(1, 121))  # type: ignore[attr-defined]
    report = verify_chain(storage)
    assert report.ok and report.records == 120


def test_two_writers_on_one_database_keep_one_chain(tmp_path: Path) -> None:
    """Two storages on one SQLite file (as two gunicorn workers are), appending in turn and at once:
    each finds the head the other moved."""
    import threading

    from gateway.storage import open_storage

    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first, second = open_storage(url), open_storage(url)
    first.init_schema()
    for index in range(6):
        (first if index % 2 else second).append_audit("2026-01-01T00:00:00Z", "c", "certificates/verify", "{}", "valid", "ok",
                                                      1, str(index))
    threads = [threading.Thread(target=lambda storage=storage: [
        storage.append_audit("2026-01-01T00:00:00Z", "c", "certificates/verify", "{}", "valid", "ok", 1, "t")
        for _ in range(10)]) for storage in (first, second, first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = verify_chain(first)
    assert report.ok and report.records == 46 and first.audit_head() == (46, report.head)
    first.close()
    second.close()


def test_a_sqlite_append_on_a_moved_head_is_refused_then_chained_again(sqlite_gateway: Gateway,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The append's triggers refuse a row that does not extend the head (here: chained after a stale
    head); the batch is then chained again inside one transaction."""
    storage = sqlite_gateway.state.storage
    storage.append_audit("2026-01-01T00:00:00Z", "c", "certificates/verify", "{}", "valid", "ok", 1, "first")
    chain = type(storage)._chain
    stale = [True]

    def stale_once(self: Storage, head_seq: int, head_hash: str, records: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        if stale.pop() if stale else False:
            return chain(self, 0, "0" * 64, records)
        return chain(self, head_seq, head_hash, records)

    monkeypatch.setattr(type(storage), "_chain", stale_once)
    row = storage.append_audit("2026-01-01T00:00:00Z", "c", "certificates/verify", "{}", "valid", "ok", 1, "second")
    assert row.seq == 2 and not stale
    report = verify_chain(storage)
    assert report.ok and report.records == 2


@pytest.mark.parametrize("values", [
    (1, "2026-01-01T00:00:00.000001Z", "centre", "certificates/verify", '{"name":"示范科技有限公司"}', "valid", "ok", 1, "id-1"),
    (2**63 - 1, "\x00\x1f\x7f\"\\\n\t\u2028\U0001f600", "", "", "", "", "", None, ""),
    (2**70, "big", "", "", "", "", "", None, ""),
    (3, "x", "", "", "", "", "", True, ""),
    (4, "x", "", "", "", "", "", 1.5, ""),
])
def test_the_canonical_row_is_the_standard_librarys_json(values: tuple[object, ...]) -> None:
    """Rows are hashed over orjson's bytes when it writes what ``json`` writes (strings, 64-bit
    integers, nulls) and over ``json``'s otherwise: chains written before still verify."""
    from gateway.storage.base import canonical_row

    expected = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode(values).encode("utf-8")
    assert canonical_row(values) == expected
