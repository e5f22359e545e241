"""Differential test against ``openssl ocsp`` (OpenSSL 3): responses we build, judged by both.

For RSA and P-256 chains, each response is written as DER and checked by::

    openssl ocsp -respin resp.der -issuer inter.pem [-sha256] -cert leaf.pem -verify_other inter.pem
                 -CAfile root.pem -no_nonce

which verifies the signature, builds the signer's chain to the root and applies RFC 6960 §4.2.2.2
(issuer itself, or a certificate it issued with id-kp-OCSPSigning), then prints the leaf's status.
``openssl ocsp`` judges status times against the real clock, so these responses are dated around
now and certmutual is asked at the same moment.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from certmutual import Policy
from certmutual.asn1.oids import EKU_OID
from certmutual.pki.builder import KeyKind, issue_ocsp_response
from certmutual.pki.ocsp import OcspStatus, check_response, parse_response
from tests.pki_factory import DAY, HOUR, ca_name, get_key, issue, make_chain, write_pem

OPENSSL = shutil.which("openssl")
pytestmark = pytest.mark.skipif(OPENSSL is None, reason="openssl is not on PATH")

NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def _case(kind: KeyKind, case: str) -> tuple[bytes, OcspStatus | None]:
    """(response DER, the status both should report; None = both refuse the response)."""
    chain = make_chain(kind)
    responder_key = get_key(kind, "ocsp")

    def responder_cert(**overrides: Any) -> Any:
        args: dict[str, Any] = {
            "subject": ca_name(f"Test {kind.value} OCSP Responder"), "subject_key": responder_key,
            "issuer": chain.intermediate, "issuer_key": chain.intermediate_key,
            "not_before": NOW - 30 * DAY, "not_after": NOW + 30 * DAY,
            "key_usage": {"digital_signature"}, "ext_key_usage": [EKU_OID.OCSP_SIGNING],
        }
        args.update(overrides)
        return issue(**args)

    args: dict[str, Any] = {
        "cert": chain.leaf, "issuer": chain.intermediate, "responder_key": chain.intermediate_key,
        "this_update": NOW - HOUR, "next_update": NOW + DAY,
    }
    expected: OcspStatus | None = OcspStatus.GOOD
    if case == "revoked":
        args.update(status="revoked", revoked_at=NOW - 2 * DAY, reason="key_compromise")
        expected = OcspStatus.REVOKED
    elif case == "sha256-cert-id":
        args.update(hash_algorithm="sha256", status="revoked", revoked_at=NOW - DAY)
        expected = OcspStatus.REVOKED
    elif case.startswith("delegated"):
        eku = [EKU_OID.OCSP_SIGNING] if case != "delegated-without-eku" else [EKU_OID.CLIENT_AUTH]
        issuer_key = chain.root_key if case == "delegated-wrong-signer" else chain.intermediate_key
        cert = responder_cert(ext_key_usage=eku, issuer_key=issuer_key)
        args.update(responder_key=responder_key, responder_cert=cert, include_certs=[cert])
        expected = OcspStatus.GOOD if case == "delegated" else None
    elif case == "wrong-key":
        args.update(responder_key=get_key(kind, "stranger"))
        expected = None
    data = issue_ocsp_response(**args)
    if case == "tampered":
        data = data.replace(b"\x02\x02\x10\x01", b"\x02\x02\x10\x02", 1)  # the CertID serial 0x1001 -> 0x1002
        expected = None
    return data, expected


CASES = ["good", "revoked", "sha256-cert-id", "delegated", "delegated-without-eku", "delegated-wrong-signer",
         "wrong-key", "tampered"]


@pytest.mark.parametrize("kind", [KeyKind.RSA2048, KeyKind.P256], ids=lambda k: k.value)
@pytest.mark.parametrize("case", CASES)
def test_openssl_agrees(tmp_path: Path, kind: KeyKind, case: str) -> None:
    chain = make_chain(kind)
    data, expected = _case(kind, case)
    (tmp_path / "resp.der").write_bytes(data)
    write_pem(tmp_path / "inter.pem", chain.intermediate)
    write_pem(tmp_path / "root.pem", chain.root)
    write_pem(tmp_path / "leaf.pem", chain.leaf)
    run = subprocess.run(
        [OPENSSL, "ocsp", "-respin", "resp.der", "-issuer", "inter.pem",
         *(["-sha256"] if case == "sha256-cert-id" else []), "-cert", "leaf.pem",
         "-verify_other", "inter.pem", "-CAfile", "root.pem", "-no_nonce"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60)
    openssl_ok = "Response verify OK" in run.stderr + run.stdout
    outcome = check_response(chain.leaf, chain.intermediate, parse_response(data), NOW, Policy(), None)
    if expected is None:
        assert not openssl_ok, run
        assert outcome.status is OcspStatus.UNUSABLE, outcome
        return
    assert openssl_ok, run
    assert f"leaf.pem: {expected.value}" in run.stdout, run
    assert "WARNING" not in run.stdout + run.stderr, run
    assert outcome.status is expected, outcome
