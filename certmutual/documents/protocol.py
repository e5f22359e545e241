"""What the documents layer needs from the façade, as a structural type.

``documents`` sits below :mod:`certmutual.verifier` (the façade calls down into it), so it cannot
import :class:`certmutual.Verifier`. Every function here takes a :class:`CertificateVerifier`
instead; a ``Verifier`` is one, and tests may pass anything with the same three members. Chains,
trust anchors, revocation, the trust list and the clock all stay behind it. It is the same shape as
:class:`certmutual.seals.CertificateVerifier`, so one verifier serves both layers.
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
    """The part of :class:`certmutual.Verifier` that decides a signer's certificate."""

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
    ) -> VerificationResult: ...

    def identify(self, certificate: Certificate, *, result: VerificationResult | None = None) -> Identity: ...
