"""The documented vocabulary (specs/reason-codes.md) and the enum are the same set, with the same statuses."""

import re

from certmutual.results import Reason, ReasonCode, Status, VerificationResult, derive_status
from tests.shared_data import REPO_ROOT


def documented_codes() -> dict[str, str]:
    text = (REPO_ROOT / "specs" / "reason-codes.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([a-z_]+)` \| (valid|invalid|indeterminate) \|", text, flags=re.MULTILINE))


def test_every_code_is_documented_with_its_status() -> None:
    documented = documented_codes()
    assert documented == {code.value: code.status.value for code in ReasonCode}


def test_verdict_derivation() -> None:
    ok = Reason(ReasonCode.OK, "")
    unknown = Reason(ReasonCode.REVOCATION_UNKNOWN, "")
    expired = Reason(ReasonCode.EXPIRED, "")
    assert derive_status((ok,)) is Status.VALID
    assert derive_status((unknown,)) is Status.INDETERMINATE
    assert derive_status((unknown, expired)) is Status.INVALID


def test_empty_reasons_mean_ok_and_to_dict_shape() -> None:
    import datetime

    result = VerificationResult((), datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    assert result.accepted and result.codes == (ReasonCode.OK,)
    payload = result.to_dict()
    assert set(payload) >= {"accepted", "reasons", "chain", "at"}
    assert payload["reasons"][0]["code"] == "ok"
