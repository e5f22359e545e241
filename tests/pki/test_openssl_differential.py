"""Differential test against ``openssl verify`` (OpenSSL 3): same chain, same time, same verdict.

For RSA and P-256 hierarchies built by the factory, each variant is written as PEM and judged by
certmutual and by::

    openssl verify -x509_strict -auth_level 2 -attime <epoch> -CAfile root.pem [-untrusted inter.pem]
                   [-crl_check_all -CRLfile crls.pem] leaf.pem

Options are chosen to mean the same thing on both sides: ``-auth_level 2`` (112-bit security) matches
certmutual's 2048-bit RSA minimum and SHA-1 refusal; ``-crl_check_all`` with CRLs matches
``Policy(require_revocation=True)``. Known, deliberate divergences are left out of the table: a
wildcard SAN against an excluded subtree one label down (certmutual refuses, CVE-2025-61727; OpenSSL
3.0 accepts), leading-period dNSName constraints (certmutual fails closed), and a CRL entry dated after
the validation time (certmutual judges revocation at that point in time; OpenSSL treats any listed
serial as revoked).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from certmutual import Policy, Verifier
from certmutual.pki.builder import KeyKind, RawExtension
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from tests.pki_factory import (
    DAY, REF_TIME, PublicOnlyKey, Sha1Signer, TestChain, ca_name, epoch, get_key, issue, leaf_name, make_chain,
    rsa_key, spki_with_key_bits, write_pem,
)

OPENSSL = shutil.which("openssl")
pytestmark = pytest.mark.skipif(OPENSSL is None, reason="openssl is not on PATH")


@dataclass
class Case:
    leaf: Certificate
    untrusted: list[Certificate]
    anchors: list[Certificate]
    crls: list[CertificateList] | None = None
    expected: bool = True
    notes: list[str] = field(default_factory=list)


def _chain(kind: KeyKind, **overrides) -> TestChain:
    return make_chain(kind, **overrides)


def _base(chain: TestChain, **kw) -> Case:
    return Case(chain.leaf, [chain.intermediate], [chain.root], **kw)


def _four_chain(kind: KeyKind, intermediate_path_len: int | None) -> Case:
    chain = make_chain(kind, intermediate_overrides={"path_len": intermediate_path_len})
    sub_key = get_key(kind, "sub-ca")
    sub = issue(subject=ca_name(f"Test {kind.value} Sub CA"), subject_key=sub_key, issuer=chain.intermediate,
                issuer_key=chain.intermediate_key, ca=True)
    leaf = issue(subject=leaf_name(), subject_key=chain.leaf_key, issuer=sub, issuer_key=sub_key,
                 key_usage={"digital_signature"}, dns_names=["www.example.com"])
    return Case(leaf, [chain.intermediate, sub], [chain.root])


def _bad_point_leaf(kind: KeyKind) -> Case:
    chain = make_chain(kind)
    bad = spki_with_key_bits(get_key(KeyKind.P256).spki, b"\x04" + b"\x01" * 64)
    return Case(chain.issue_leaf(subject_key=PublicOnlyKey(bad)), [chain.intermediate], [chain.root], expected=False)


VARIANTS: dict[str, Callable[[KeyKind], Case]] = {
    "good": lambda k: _base(_chain(k)),
    "expired-leaf": lambda k: _base(_chain(k, leaf_overrides={"not_after": REF_TIME - DAY}), expected=False),
    "not-yet-valid-leaf": lambda k: _base(_chain(k, leaf_overrides={"not_before": REF_TIME + DAY}), expected=False),
    "expired-intermediate": lambda k: _base(_chain(k, intermediate_overrides={"not_after": REF_TIME - DAY}),
                                            expected=False),
    "wrong-issuer-key": lambda k: _base(_chain(k, leaf_overrides={"issuer_key": get_key(k, "stranger")}),
                                        expected=False),
    "intermediate-not-ca": lambda k: _base(_chain(k, intermediate_overrides={
        "ca": False, "path_len": None, "key_usage": {"key_cert_sign", "crl_sign"}}), expected=False),
    "intermediate-without-keycertsign": lambda k: _base(_chain(k, intermediate_overrides={
        "key_usage": {"crl_sign", "digital_signature"}}), expected=False),
    "pathlen-exceeded": lambda k: Case(**{**_four_chain(k, 0).__dict__, "expected": False}),
    "pathlen-allows": lambda k: _four_chain(k, 1),
    "good-with-crls": lambda k: (lambda c: _base(c, crls=list(c.full_crls())))(_chain(k)),
    "revoked-leaf": lambda k: (lambda c: _base(c, crls=list(c.full_crls(revoked_leaf_at=REF_TIME - DAY)),
                                               expected=False))(_chain(k)),
    "revoked-intermediate": lambda k: (lambda c: _base(c, crls=[
        c.crl(), c.crl("root", revoked=[(c.intermediate.serial, REF_TIME - DAY)])], expected=False))(_chain(k)),
    "crl-missing": lambda k: (lambda c: _base(c, crls=[c.crl("root")], expected=False))(_chain(k)),
    "crl-expired": lambda k: (lambda c: _base(c, crls=[
        c.crl(this_update=REF_TIME - 9 * DAY, next_update=REF_TIME - DAY), c.crl("root")], expected=False))(_chain(k)),
    "crl-wrong-signer": lambda k: (lambda c: _base(c, crls=[
        c.crl(issuer_key=get_key(k, "stranger")), c.crl("root")], expected=False))(_chain(k)),
    "permitted-dns-inside": lambda k: _base(_chain(k, intermediate_overrides={"permitted_dns": ["example.com"]})),
    "permitted-dns-outside": lambda k: _base(_chain(k, intermediate_overrides={"permitted_dns": ["example.org"]}),
                                             expected=False),
    "excluded-dns": lambda k: _base(_chain(k, intermediate_overrides={"excluded_dns": ["example.com"]}),
                                    expected=False),
    "excluded-dns-elsewhere": lambda k: _base(_chain(k, intermediate_overrides={"excluded_dns": ["bad.example.com"]})),
    "missing-intermediate": lambda k: (lambda c: Case(c.leaf, [], [c.root], expected=False))(_chain(k)),
    "untrusted-root": lambda k: (lambda c: Case(c.leaf, [c.intermediate], [
        make_chain(k, key_label="other", root_overrides={"subject": ca_name("Other Root")}).root],
        expected=False))(_chain(k)),
    "unknown-critical-extension": lambda k: _base(_chain(k, leaf_overrides={"extra_extensions": [
        RawExtension("1.3.6.1.4.1.55555.1.1", True, b"\x05\x00")]}), expected=False),
    "sha1-signed-leaf": lambda k: (lambda c: Case(c.issue_leaf(issuer_key=Sha1Signer(c.intermediate_key)),
                                                  [c.intermediate], [c.root], expected=False))(_chain(k)),
    "rsa1024-leaf": lambda k: _base(_chain(k, leaf_overrides={"subject_key": rsa_key(1024)}), expected=False),
    "leaf-key-not-on-curve": _bad_point_leaf,
}

# variant -> "BUG: ..." for library bugs still open (marked xfail(strict=True)); empty when none are.
KNOWN_BUGS: dict[str, str] = {}


def _openssl_accepts(case: Case, directory: Path) -> tuple[bool, str]:
    command = [OPENSSL, "verify", "-x509_strict", "-auth_level", "2", "-attime", str(epoch(REF_TIME)),
               "-CAfile", write_pem(directory / "anchors.pem", *case.anchors)]
    if case.untrusted:
        command += ["-untrusted", write_pem(directory / "untrusted.pem", *case.untrusted)]
    if case.crls is not None:
        command += ["-crl_check_all", "-CRLfile", write_pem(directory / "crls.pem", *case.crls)]
    command.append(write_pem(directory / "leaf.pem", case.leaf))
    run = subprocess.run(command, capture_output=True, text=True, timeout=30)
    return run.returncode == 0, (run.stdout + run.stderr).strip()


def _certmutual_accepts(case: Case) -> tuple[bool, object]:
    policy = Policy(require_revocation=case.crls is not None)
    verifier = Verifier(case.anchors, intermediates=case.untrusted, policy=policy)
    result = verifier.verify_certificate(case.leaf.der, at=REF_TIME, crls=case.crls or ())
    return result.accepted, result.to_dict()


def _params():
    for kind in (KeyKind.RSA2048, KeyKind.P256):
        for variant in VARIANTS:
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[variant])] if variant in KNOWN_BUGS else []
            yield pytest.param(kind, variant, id=f"{kind.value}-{variant}", marks=marks)


@pytest.mark.parametrize(("kind", "variant"), list(_params()))
def test_certmutual_agrees_with_openssl(kind: KeyKind, variant: str, tmp_path: Path) -> None:
    case = VARIANTS[variant](kind)
    openssl_verdict, openssl_output = _openssl_accepts(case, tmp_path)
    certmutual_verdict, certmutual_result = _certmutual_accepts(case)
    assert certmutual_verdict == openssl_verdict, f"openssl: {openssl_output}\ncertmutual: {certmutual_result}"
    # Neither side is vacuous: both reach the verdict the variant was built for.
    assert openssl_verdict is case.expected, openssl_output
