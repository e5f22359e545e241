"""Checking the audit trail: walk the hash chain and name the first row that was altered, deleted
or reordered.

Each row stores ``hash = SHA-256(previous row's hash || canonical row)`` (the genesis "previous
hash" is 64 zeros) and ``audit_head`` keeps the last sequence number and hash, updated in the same
transaction as every append. So an edited row no longer matches its hash; a re-hashed edit breaks
the next row's link; a deleted row leaves a gap in the sequence; swapped rows carry each other's
sequence numbers and links; and a deleted tail no longer reaches the head. Anyone who can rewrite
the whole table and the head can forge a consistent chain: record the head hash
(``certmutual audit verify`` prints it) somewhere the database administrator cannot write.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.storage import Storage
from gateway.storage.schema import GENESIS_HASH


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    records: int
    head: str
    problem: str | None = None
    row: int | None = None
    """The sequence number of the first bad row (None when the chain is intact)."""


def verify_chain(storage: Storage) -> ChainReport:
    expected_seq, previous = 1, GENESIS_HASH
    count = 0
    for row in storage.audit_rows():
        count += 1
        if row.seq != expected_seq:
            if row.seq > expected_seq:
                missing = f"row {expected_seq}" if row.seq == expected_seq + 1 else f"rows {expected_seq}-{row.seq - 1}"
                return ChainReport(False, count, previous, f"{missing} deleted (the chain jumps from {expected_seq - 1} "
                                   f"to {row.seq})", expected_seq)
            return ChainReport(False, count, previous, f"row {row.seq} is out of order (expected {expected_seq})", row.seq)
        if row.expected_hash(row.prev_hash) != row.hash:
            return ChainReport(False, count, previous, f"row {row.seq} was altered or moved (its content and position no "
                               "longer match its hash)", row.seq)
        if row.prev_hash != previous:
            # The row itself is intact, so what changed is the row before it (edited and re-hashed).
            return ChainReport(False, count, previous, f"row {row.seq - 1} was altered and re-hashed (row {row.seq} no longer "
                               f"links to it)", row.seq - 1 if row.seq > 1 else row.seq)
        previous = row.hash
        expected_seq += 1
    head_seq, head_hash = storage.audit_head()
    if head_seq != expected_seq - 1 or head_hash != previous:
        if head_seq > expected_seq - 1:
            return ChainReport(False, count, previous, f"rows {expected_seq}-{head_seq} deleted (the chain ends at "
                               f"{expected_seq - 1}, the head says {head_seq})", expected_seq)
        return ChainReport(False, count, previous, f"the chain head (seq {head_seq}) does not match the last row "
                           f"({expected_seq - 1})", expected_seq - 1)
    return ChainReport(True, count, previous)
