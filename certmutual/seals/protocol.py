"""What the seal and documents layers need from the façade, as structural types.

``seals`` and ``documents`` sit below :mod:`certmutual.verifier` (the façade calls down into them),
so they cannot import :class:`certmutual.Verifier`. Their functions take a
:class:`CertificateVerifier` instead: a ``Verifier`` is one, so one verifier (one trust decision)
serves certificates, seals, OFD, CMS and PDF alike. Trust anchors, intermediates, revocation
data, the trust list and the clock all stay behind it; the seal layer never builds trust on its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Protocol

from certmutual.identity.model import Identity
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.policy import Policy
from certmutual.results import VerificationResult


class CertificateVerifier(Protocol):
    """The part of :class:`certmutual.Verifier` that decides a maker's, signer's or TSA's
    certificate."""

    @property
    def policy(self) -> Policy: ...

    def verify_certificate(
        self,
        certificate: Certificate,
        *,
        at: datetime.datetime | None = None,
        untrusted: Sequence[Certificate] = (),
        crls: Sequence[CertificateList] = (),
        policy: Policy | None = None,
        ocsp_responses: Sequence[bytes] = (),
    ) -> VerificationResult: ...

    def identify(self, certificate: Certificate, *, result: VerificationResult | None = None) -> Identity: ...

    def now(self) -> datetime.datetime:
        """The current time (UTC): the time of a verdict reached before any certificate check."""
        ...


__all__ = ["CertificateVerifier"]
