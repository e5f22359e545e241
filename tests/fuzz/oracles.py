"""What every fuzz test asserts about an answer: only the documented exceptions, within the time limit,
and, for the façade, a well-formed result in the closed reason vocabulary."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from certmutual.crypto.registry import PublicKey
from certmutual.errors import MalformedInput, UnsupportedAlgorithm
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.results import Reason, ReasonCode, VerificationResult, derive_status
from tests.fuzz.seeds import timed


def refused_or(call: Callable[..., Any], *args: Any, allowed: tuple[type[Exception], ...] = (MalformedInput,)) -> Any:
    """``call(*args)`` within the time limit, or None if it raised one of the ``allowed`` exceptions;
    any other exception propagates and fails the test."""
    try:
        return timed(call, *args)
    except allowed:
        return None


def check_certificate(data: bytes) -> Certificate | None:
    """Parse ``data``; on success every lazily computed property used in validation is readable."""
    cert: Certificate | None = refused_or(Certificate, data)
    if cert is None:
        return None
    assert isinstance(timed(lambda: cert.subject_text), str)
    assert isinstance(timed(lambda: cert.issuer_text), str)
    assert isinstance(timed(lambda: cert.subject_key), str)
    assert isinstance(timed(lambda: cert.issuer_key), str)
    assert isinstance(timed(lambda: cert.is_self_issued), bool)
    timed(lambda: cert.subject_alt_names)
    key = refused_or(lambda: cert.public_key, allowed=(MalformedInput, UnsupportedAlgorithm))
    assert key is None or isinstance(key, PublicKey)
    repr(cert)
    return cert


def check_crl(data: bytes) -> CertificateList | None:
    crl: CertificateList | None = refused_or(CertificateList, data)
    if crl is not None:
        assert isinstance(crl.issuer_text, str)
        timed(crl.unusable_because)
        repr(crl)
    return crl


def check_result(result: object) -> VerificationResult:
    """A well-formed result: the closed reason vocabulary, a consistent status, a printable dict."""
    assert isinstance(result, VerificationResult), result
    assert result.reasons, result
    for reason in result.reasons + result.warnings:
        assert isinstance(reason, Reason) and isinstance(reason.code, ReasonCode) and reason.code in ReasonCode
        assert isinstance(reason.message, str) and reason.message
    assert result.status is derive_status(result.reasons)
    assert result.accepted == (result.codes == (ReasonCode.OK,))
    json.dumps(result.to_dict(), ensure_ascii=False)
    return result
