"""The façade: the one object library users, the CLI and the gateway verify through.

``Verifier`` holds the trust anchors, a pool of known intermediates, default CRLs, a default
:class:`Policy` and the caches (parsed certificates, signature outcomes) that make repeated
verification under the same CAs cheap. It is the only place that reads the clock. It is safe to share
between threads.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from certmutual.crypto import registry, sm2
from certmutual.errors import InvalidSignature, MalformedInput, UnsupportedAlgorithm, UnsupportedReason
from certmutual.identity.extractor import identify
from certmutual.identity.model import Identity
from certmutual.identity.profiles import ProfileSet, load_profiles
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.path import validate_path
from certmutual.pki.policy import Policy
from certmutual.pki.signatures import SignatureCache
from certmutual.pki.store import CertificatePool
from certmutual.results import ChainLink, Reason, ReasonCode, VerificationResult

CertificateInput = Certificate | bytes


class _ParseCache:
    """Parsed certificates by DER, bounded: intermediates handed in on every call parse once."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._entries: OrderedDict[bytes, Certificate] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, data: CertificateInput) -> Certificate:
        if isinstance(data, Certificate):
            return data
        data = bytes(data)
        with self._lock:
            cert = self._entries.get(data)
            if cert is not None:
                self._entries.move_to_end(data)
                return cert
        cert = Certificate(data)
        with self._lock:
            self._entries[data] = cert
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return cert


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class Verifier:
    """Verify certificates (and, in later layers, seals and documents) against trust anchors.

    :param trust_anchors: the certificates trusted as path ends (DER bytes or parsed).
    :param intermediates: untrusted CA certificates available for path building.
    :param crls: CRLs used for revocation on every call (more can be given per call).
    :param policy: the default validation policy.
    :param vendors: the vendor profiles identities are read with (default: loaded on first use from
        :func:`certmutual.identity.profiles.default_vendors_directory`).
    Raises :class:`MalformedInput` if an anchor or intermediate cannot be parsed.
    """

    def __init__(
        self,
        trust_anchors: Iterable[CertificateInput],
        *,
        intermediates: Iterable[CertificateInput] = (),
        crls: Iterable[CertificateList] = (),
        policy: Policy | None = None,
        vendors: ProfileSet | None = None,
    ) -> None:
        self._vendors = vendors
        self._vendors_lock = threading.Lock()
        self._parsed = _ParseCache()
        self._anchors = CertificatePool(self._parsed.get(c) for c in trust_anchors)
        self._intermediates = CertificatePool(self._parsed.get(c) for c in intermediates)
        self._crls = tuple(crls)
        self._policy = policy or Policy()
        self._signatures = SignatureCache()

    @property
    def policy(self) -> Policy:
        return self._policy

    @property
    def trust_anchors(self) -> tuple[Certificate, ...]:
        return tuple(self._anchors)

    def verify_certificate(
        self,
        certificate: CertificateInput,
        *,
        at: datetime.datetime | None = None,
        untrusted: Sequence[CertificateInput] = (),
        crls: Sequence[CertificateList] = (),
        policy: Policy | None = None,
    ) -> VerificationResult:
        """Validate ``certificate`` as a leaf at ``at`` (default: now).

        Returns a :class:`VerificationResult`; never raises for bad certificates (a malformed one
        gives the ``malformed`` reason). Does not check hostnames, OCSP or certificate policies.
        """
        when = at or utc_now()
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        try:
            leaf = self._parsed.get(certificate)
            pool = self._intermediates
            if untrusted:
                pool = CertificatePool(list(self._intermediates) + [self._parsed.get(c) for c in untrusted])
        except MalformedInput as exc:
            return VerificationResult((Reason(ReasonCode.MALFORMED, str(exc)),), when)
        outcome = validate_path(
            leaf, self._anchors, pool, when, policy or self._policy,
            crls=self._crls + tuple(crls), cache=self._signatures,
        )
        return VerificationResult(outcome.reasons, when, chain_links(outcome.chain), outcome.warnings)

    def identify(self, certificate: CertificateInput, *, result: VerificationResult | None = None) -> Identity:
        """The identity ``certificate`` carries, read through its vendor's profile.

        Give the certificate's :class:`VerificationResult` so the validated chain's root and issuer
        fingerprints can choose the profile. Raises :class:`MalformedInput` for an unreadable
        certificate and :class:`ConfigurationError` for broken vendor profiles; never raises for what
        a readable certificate contains.
        """
        issuers = [link.sha256 for link in result.chain[1:]] if result is not None else []
        return identify(self._parsed.get(certificate), self.vendors, issuers)

    @property
    def vendors(self) -> ProfileSet:
        with self._vendors_lock:
            if self._vendors is None:
                self._vendors = load_profiles()
            return self._vendors

    @staticmethod
    def verify_signature(
        data: bytes,
        signature: bytes,
        *,
        certificate: CertificateInput | None = None,
        public_key: bytes | None = None,
        hash_name: str | None = None,
        sm2_user_id: bytes = sm2.DEFAULT_USER_ID,
    ) -> VerificationResult:
        """Verify a detached signature over ``data`` with a certificate's key or an SPKI (DER).

        The scheme follows the key: SM2 (DER, raw r‖s or SKF blob, Z_A over ``sm2_user_id``),
        RSA PKCS#1 v1.5 (hash read from the signature's DigestInfo unless ``hash_name`` is given),
        ECDSA (hash by curve size unless given), Ed25519. Does not validate the certificate.
        """
        when = utc_now()
        try:
            if certificate is not None:
                spki = (certificate if isinstance(certificate, Certificate) else Certificate(bytes(certificate))).spki
            elif public_key is not None:
                spki = public_key
            else:
                raise ValueError("give a certificate or a public key")
            key = registry.load_public_key(spki)
            registry.verify_with_key(key, signature, data, hash_name=hash_name, sm2_user_id=sm2_user_id)
        except MalformedInput as exc:
            return VerificationResult((Reason(ReasonCode.MALFORMED, str(exc)),), when)
        except UnsupportedAlgorithm as exc:
            code = ReasonCode.WEAK_ALGORITHM if exc.reason is UnsupportedReason.WEAK_ALGORITHM else ReasonCode.UNSUPPORTED_ALGORITHM
            return VerificationResult((Reason(code, str(exc)),), when)
        except InvalidSignature as exc:
            return VerificationResult((Reason(ReasonCode.BAD_SIGNATURE, str(exc)),), when)
        return VerificationResult((), when)


def chain_links(chain: Sequence[Certificate]) -> tuple[ChainLink, ...]:
    """Chain entries for a result; an issuer's name is read from the issuer certificate when it is
    in the chain (it is the same name, and already rendered for a cached CA)."""
    links = []
    for position, cert in enumerate(chain):
        issuer_text = chain[position + 1].subject_text if position + 1 < len(chain) else cert.issuer_text
        links.append(ChainLink(cert.subject_text, issuer_text, cert.serial_hex, cert.sha256))
    return tuple(links)
