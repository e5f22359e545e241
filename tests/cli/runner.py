"""Running the ``certmutual`` command in-process, and the checks every run must pass.

The CLI contract (``certmutual/cli.py``): exit 0 accepted, 1 rejected, 2 usage error or unreadable
input; for unreadable input exactly one line on stderr; never a traceback. ``main(argv)`` returns the
exit code, except for argparse usage errors, which raise ``SystemExit(2)`` after printing usage.
"""

from __future__ import annotations

import datetime
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from certmutual.cli import main
from certmutual.results import ReasonCode, Status

RESULT_KEYS = {"accepted", "status", "reasons", "warnings", "chain", "revocation", "at"}
CHAIN_KEYS = {"subject", "issuer", "serial", "sha256"}
REASON_CODES = {code.value for code in ReasonCode}


@dataclass(frozen=True)
class CliRun:
    code: int
    out: str
    err: str
    usage_error: bool
    """True when argparse refused the command line (SystemExit)."""

    def json(self) -> dict[str, Any]:
        return json.loads(self.out)


def console_script() -> list[str]:
    """The installed ``certmutual`` entry point (beside this interpreter), for subprocess runs."""
    exe = Path(sys.executable).with_name("certmutual")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "certmutual.cli"]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: object) -> CliRun:
    """Run ``certmutual *argv`` in-process; an exception escaping ``main`` fails the test."""
    capsys.readouterr()
    usage_error = False
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as exc:
        usage_error = True
        code = exc.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    run = CliRun(code, out, err, usage_error)
    assert_contract(run)
    return run


def assert_contract(run: CliRun) -> None:
    """Exit 0, 1 or 2; no traceback; exit 2 for bad input prints one non-empty stderr line."""
    assert run.code in (0, 1, 2), run
    assert "Traceback" not in run.out and "Traceback" not in run.err, run
    if run.usage_error:
        assert run.code == 2 and "error:" in run.err, run
    elif run.code == 2:
        lines = run.err.splitlines()
        assert len(lines) == 1 and lines[0].strip(), f"exit 2 must print one stderr line, got {run.err!r}"
        assert lines[0].startswith("certmutual: "), run.err
        assert run.out == "", run.out
    else:
        assert run.err == "", run.err


IDENTITY_KEYS = {"found", "entity_key", "kind", "credit_code", "id_number", "organization_code", "ic_registration_number",
                 "tax_number", "name", "region", "vendor", "role", "confidence", "evidence", "conflicts", "rejected"}


def check_identity_json(payload: dict[str, Any]) -> None:
    """The documented identity shape (``certmutual identify --json``, ``verify --json``)."""
    assert set(payload) == IDENTITY_KEYS, sorted(payload)
    assert payload["found"] == (payload["entity_key"] is not None)
    assert payload["kind"] in {"enterprise", "individual", "institution", "unknown"}
    assert payload["confidence"] in {"high", "medium", "low", "none"}
    for evidence in payload["evidence"] + payload["rejected"]:
        assert set(evidence) == {"field", "value", "source", "rule", "valid"}, evidence


def check_result_json(payload: dict[str, Any], *, exit_code: int) -> None:
    """The documented ``--json`` shape, and its agreement with the exit code."""
    assert set(payload) - {"identity"} == RESULT_KEYS, sorted(payload)
    if "identity" in payload:
        check_identity_json(payload["identity"])
    assert isinstance(payload["accepted"], bool)
    assert payload["status"] in {status.value for status in Status}
    assert payload["accepted"] == (payload["status"] == Status.VALID.value)
    assert exit_code == (0 if payload["accepted"] else 1)
    assert payload["reasons"], "a result always carries at least one reason"
    for reason in payload["reasons"] + payload["warnings"]:
        assert {"code", "message"} <= set(reason) <= {"code", "message", "concerns"}, reason
        assert reason["code"] in REASON_CODES, reason
        assert isinstance(reason["message"], str) and reason["message"]
    statuses = {ReasonCode(reason["code"]).status.value for reason in payload["reasons"]}
    if payload["accepted"]:
        assert [r["code"] for r in payload["reasons"]] == [ReasonCode.OK.value]
    else:
        assert payload["status"] in statuses
    for link in payload["chain"]:
        assert set(link) == CHAIN_KEYS, link
        assert all(isinstance(link[key], str) and link[key] for key in CHAIN_KEYS), link
        assert len(link["sha256"]) == 64 and int(link["sha256"], 16) >= 0
        assert link["serial"].lstrip("-") == link["serial"].lstrip("-").upper()
        int(link["serial"], 16)
    at = datetime.datetime.fromisoformat(payload["at"])
    assert at.tzinfo is not None
