"""PDF signatures (ISO 32000-2 §12.8, PAdES): pyHanko reads the document, certmutual decides trust.

pyHanko does the PDF work: it parses the file and its incremental revisions, finds the signature
fields, hashes each ByteRange, judges **coverage** (the range spans the whole file, or exactly the
revision the signature belongs to, or neither) and the **changes** later revisions made, against
the signature's DocMDP/FieldMDP permissions (its difference analysis); and it checks the CMS
SignerInfo (contentType and messageDigest attributes, ESS signing-certificate, algorithm protection)
and the signature maths. SM2 enters there through :class:`Sm2SignatureValidator`, pyHanko's
``SignatureValidator`` hook (SM2-with-SM3 over Z_A with the policy's user ID).

certmutual decides the rest, the same way as for certificates, OFD and CMS: the signer's path,
revocation and trust list (the caller's :class:`CertificateVerifier`), key usage, the digest policy,
the time-stamp authority, and the signer's identity. The signer is validated at ``at`` when given;
else at the genTime of a signature time-stamp token (RFC 3161) that verified and whose TSA is
trusted, the only proven time; else now. The signer's claimed time (signingTime, /M) is reported,
never used.

The document security store's certificates, CRLs and OCSP responses join each signer's path
building and revocation decision (a time-stamp authority's path gets its certificates and CRLs).

Not checked: seed values, OCSP responses for time-stamp authorities, attribute certificates,
PAdES long-term validation (validation at an archive timestamp), encrypted documents
(``unsupported_format``), and legacy SubFilters (adbe.pkcs7.sha1, adbe.x509.rsa_sha1). SM2
signatures without signed attributes are ``unsupported_algorithm`` (pyHanko hands the hook a bare
digest). A SignedData wrapped in the GM/T 0010 ContentInfo OID (1.2.156.10197.6.1.4.2.2), as
Chinese signers write it, is read as SignedData.

Compressed streams are decoded under pyHanko's decode limits (the defaults for untrusted input,
with the per-stream and per-document caps of :class:`PdfLimits`): a decompression bomb is
``container_refused`` after at most that much output, never inflated whole.

The records are in :mod:`~certmutual.documents.pdf_results`, the SM2 hook in
:mod:`~certmutual.documents.pdf_sm2`, time-stamp tokens in :mod:`~certmutual.documents.pdf_timestamps`.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from cryptography.exceptions import InvalidSignature as _CryptographyInvalidSignature
from pyhanko.pdf_utils import misc
from pyhanko.pdf_utils.decode_limits import (
    DEFAULT_PURPOSE_LIMITS, DecodeLimits, DecodePurpose, DocumentDecodeBudget, StreamDecodeLimits,
)
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, DiffResult
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.general import CMSExtractionError, extract_certificate_info, find_unique_cms_attribute
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator.sig_validate import SignatureValidationContext

from certmutual.documents.cms import digest
from certmutual.documents.pdf_results import (
    Coverage,
    Modification,
    PdfResult,
    PdfSignatureResult,
    SignatureKind,
    TimestampResult,
)
from certmutual.documents.pdf_sm2 import Sm2SignatureValidator
from certmutual.documents.pdf_timestamps import check_token, describe, digest_usable, signature_token, tsa_certificate
from certmutual.seals.protocol import CertificateVerifier
from certmutual.errors import ConfigurationError, MalformedInput
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.results import Reason, ReasonCode, VerificationResult

R = ReasonCode
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class PdfLimits:
    """Bounds on what one document may hold; more is refused (``container_refused``)."""

    max_bytes: int = 64 * 1024 * 1024
    max_signatures: int = 64
    max_dss_items: int = 256
    """Certificates, and CRLs, read from the document security store (each)."""
    max_decoded_stream_bytes: int = 64 * 1024 * 1024
    """The most one compressed stream may decode to (pyHanko's tighter caps for object streams,
    metadata, certificates and OCSP responses still apply)."""
    max_object_stream_bytes: int = 8 * 1024 * 1024
    """The most one object stream (``/Type /ObjStm``) may decode to. Writers put tens to hundreds of
    objects in one (kilobytes); pyHanko parses it at about 2 MiB/s, so this also bounds the time a
    hostile one costs."""
    max_decoded_bytes: int = 64 * 1024 * 1024
    """The most all the streams decoded while verifying the document may produce together
    (every decoding counts, also a stream decoded again for an earlier revision)."""

    def decode_limits(self) -> DecodeLimits:
        """These bounds as pyHanko's, on top of its defaults for untrusted input."""
        object_streams = replace(DEFAULT_PURPOSE_LIMITS[DecodePurpose.OBJECT_STREAM], max_output_size=self.max_object_stream_bytes)
        return DecodeLimits(per_stream=StreamDecodeLimits(max_output_size=self.max_decoded_stream_bytes),
                            per_purpose={**DEFAULT_PURPOSE_LIMITS, DecodePurpose.OBJECT_STREAM: object_streams},
                            document_budget=DocumentDecodeBudget(base_allowance=self.max_decoded_bytes, max_ratio=0))


# -- the document --------------------------------------------------------------------------------


def verify_pdf(
    data: bytes,
    verifier: CertificateVerifier,
    *,
    at: datetime.datetime | None = None,
    limits: PdfLimits = PdfLimits(),
) -> PdfResult:
    """Verify every filled signature field of a PDF document.

    :param at: the validation time for signer certificates (default: a proven timestamp's time,
        else the verifier's now).
    Returns a :class:`PdfResult`; never raises for what the bytes contain: an unreadable file is
    ``malformed``, an encrypted one ``unsupported_format``, one with no filled signature field
    ``not_signed``, one past ``limits`` ``container_refused``. Raises
    :class:`certmutual.errors.ConfigurationError` for broken vendor profiles.
    """
    if len(data) > limits.max_bytes:
        return PdfResult((Reason(R.CONTAINER_REFUSED, f"a PDF of {len(data)} bytes (at most {limits.max_bytes})"),))
    warnings: list[Reason] = []
    try:
        reader = _open(data, warnings, limits)
        if reader.encrypted:
            return PdfResult((Reason(R.UNSUPPORTED_FORMAT, "an encrypted PDF"),), warnings=tuple(warnings))
        revisions = int(reader.xrefs.total_revisions)
        fields: list[tuple[str, Any]] = []
        for name, _, sig_field in enumerate_sig_fields(reader, filled_status=True):
            fields.append((str(name), sig_field))
            if len(fields) > limits.max_signatures:
                return PdfResult((Reason(R.CONTAINER_REFUSED, f"more than {limits.max_signatures} signatures"),))
    except Exception as exc:  # noqa: BLE001 - pyHanko's reader raises many types on hostile input
        return PdfResult((_unreadable(exc, "not a readable PDF"),), warnings=tuple(warnings))
    if not fields:
        return PdfResult((Reason(R.NOT_SIGNED, "the PDF has no filled signature field"),), warnings=tuple(warnings),
                         revisions=revisions)
    try:
        store = _security_store(reader, limits, warnings)
    except misc.PdfDecodeLimitError as exc:
        return PdfResult((_unreadable(exc, "document security store"),), warnings=tuple(warnings), revisions=revisions)
    signatures = sorted((_verify_field(reader, name, sig_field, verifier, at, store) for name, sig_field in fields),
                        key=lambda s: (s.revision is None, s.revision or 0))
    reasons = [Reason(reason.code, reason.message, signature.field + (f": {reason.concerns}" if reason.concerns else ""))
               for signature in signatures if not signature.accepted for reason in signature.verdict.reasons]
    return PdfResult(tuple(reasons), tuple(signatures), tuple(warnings), revisions)


def _open(data: bytes, warnings: list[Reason], limits: PdfLimits) -> Any:
    try:
        return PdfFileReader(io.BytesIO(data), strict=True, decode_limits=limits.decode_limits())
    except misc.PdfStrictReadError as exc:
        warnings.append(Reason(R.MALFORMED, f"read leniently: {describe(exc)}"))
        return PdfFileReader(io.BytesIO(data), strict=False, decode_limits=limits.decode_limits())


def _unreadable(exc: Exception, what: str) -> Reason:
    """Why a part could not be read: a stream past the decode limits is ``container_refused`` (the
    document is refused for safety, as an OFD zip bomb is), anything else ``malformed``."""
    if isinstance(exc, misc.PdfDecodeLimitError):
        return Reason(R.CONTAINER_REFUSED, f"{what}: a compressed stream decodes past its limit: {describe(exc)}")
    return Reason(R.MALFORMED, f"{what}: {describe(exc)}")


@dataclass(frozen=True)
class _SecurityStore:
    """What the document security store (PAdES /DSS) offers every signature's path: certificates,
    CRLs, and OCSP responses (DER, judged by the Verifier against the path it builds)."""

    certificates: tuple[Certificate, ...] = ()
    crls: tuple[CertificateList, ...] = ()
    ocsp: tuple[bytes, ...] = ()


MAX_DSS_OCSP_BYTES = 64 * 1024
"""An OCSP response in the store larger than this is skipped (a warning): responses are a few KiB."""


def _security_store(reader: Any, limits: PdfLimits, warnings: list[Reason]) -> _SecurityStore:
    """The document security store's certificates, CRLs and OCSP responses.

    A store that cannot be read is a warning (the signatures may not need it); one holding a stream
    past the decode limits raises :class:`misc.PdfDecodeLimitError`: the document is refused."""
    try:
        if "/DSS" not in reader.root:
            return _SecurityStore()
        dss = reader.root["/DSS"]  # (subscripting resolves the indirect reference writers use)
        return _SecurityStore(_dss_items(dss, "/Certs", Certificate, limits, warnings),
                              _dss_items(dss, "/CRLs", CertificateList, limits, warnings),
                              _dss_items(dss, "/OCSPs", _ocsp_response, limits, warnings))
    except misc.PdfDecodeLimitError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever pyHanko raises for a broken /DSS
        warnings.append(_unreadable(exc, "unreadable document security store"))
        return _SecurityStore()


def _ocsp_response(data: bytes) -> bytes:
    if len(data) > MAX_DSS_OCSP_BYTES:
        raise MalformedInput(f"an OCSP response of {len(data)} bytes (at most {MAX_DSS_OCSP_BYTES})")
    return data


def _dss_items(dss: Any, key: str, parse: Callable[[bytes], _T], limits: PdfLimits, warnings: list[Reason]) -> tuple[_T, ...]:
    out: list[_T] = []
    for index, ref in enumerate(list(dss[key] if key in dss else ())[: limits.max_dss_items]):
        try:
            out.append(parse(ref.get_object().data))
        except MalformedInput as exc:
            warnings.append(Reason(R.MALFORMED, f"DSS {key[1:]} {index} is unreadable: {exc}"))
    return tuple(out)


# -- one signature field ---------------------------------------------------------------------------

_SUB_FILTERS = {"/Sig": ("/adbe.pkcs7.detached", "/ETSI.CAdES.detached"), "/DocTimeStamp": ("/ETSI.RFC3161",)}
_DATA_TYPES = ("data", "gmt0010_data")
_SIGNING_USAGES = frozenset({"digital_signature", "non_repudiation"})
_COVERAGE = {"ENTIRE_FILE": Coverage.ENTIRE_FILE, "ENTIRE_REVISION": Coverage.ENTIRE_REVISION}
_DOCMDP = {1: "no_changes", 2: "fill_forms", 3: "annotate"}


class _Field:
    """What is found out about one field, step by step; anything pyHanko raises midway becomes a
    ``malformed`` reason, with everything found so far kept."""

    def __init__(self, name: str, verifier: CertificateVerifier, at: datetime.datetime | None) -> None:
        self.name, self.verifier, self.at = name, verifier, at
        self.reasons: list[Reason] = []
        self.warnings: list[Reason] = []
        self.facts: dict[str, Any] = {}
        self.trust: VerificationResult | None = None
        self.certificate: Certificate | None = None

    def result(self) -> PdfSignatureResult:
        trust = self.trust
        if trust is not None and not trust.accepted:
            self.reasons.extend(trust.reasons)
        # A verdict reached without any certificate check is stamped with the time asked for, or
        # the verifier's now.
        when = trust.at if trust is not None else (self.at or self.verifier.now())
        verdict = VerificationResult(tuple(self.reasons), when, trust.chain if trust else (), tuple(self.warnings))
        cert = self.certificate
        return PdfSignatureResult(self.name, verdict, signer=cert.chain_link(None) if cert else None,
                                  signer_certificate=cert.der if cert else None, trust=trust, **self.facts)


def _verify_field(
    reader: Any, name: str, sig_field: Any, verifier: CertificateVerifier, at: datetime.datetime | None,
    store: _SecurityStore,
) -> PdfSignatureResult:
    found = _Field(name, verifier, at)
    try:
        _check_field(found, reader, sig_field, store)
    except ConfigurationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyHanko and asn1crypto raise many types on hostile input
        found.reasons.append(_unreadable(exc, "unreadable signature"))
    return found.result()


def _check_field(found: _Field, reader: Any, sig_field: Any, store: _SecurityStore) -> None:
    embedded = EmbeddedPdfSignature(reader, sig_field, found.name)
    found.facts["revision"] = int(embedded.signed_revision)
    kind = str(embedded.sig_object_type)
    sub_filter = embedded.sig_object.get("/SubFilter")
    found.facts["sub_filter"] = str(sub_filter) if sub_filter is not None else None
    if kind not in _SUB_FILTERS or found.facts["sub_filter"] not in _SUB_FILTERS[kind]:
        found.reasons.append(Reason(R.UNSUPPORTED_FORMAT, f"a {kind} signature with SubFilter {sub_filter} is not verified"))
        return
    timestamp = kind == "/DocTimeStamp"
    found.facts["kind"] = SignatureKind.DOCUMENT_TIMESTAMP if timestamp else SignatureKind.SIGNATURE
    signed_data = embedded.signed_data
    content_type = signed_data["encap_content_info"]["content_type"].native
    if content_type not in (("tst_info",) if timestamp else _DATA_TYPES):
        found.reasons.append(Reason(R.UNSUPPORTED_FORMAT, f"a {kind} signature over eContentType {content_type}"))
        return
    if not timestamp and signed_data["encap_content_info"]["content"].native is not None:
        found.reasons.append(Reason(R.MALFORMED, "a detached PDF signature encapsulates content (ISO 32000-2 §12.8.3.3)"))
    if not hasattr(embedded, "external_md_algorithm"):  # pyHanko knows PKCS#7 data, not GM/T 0010 data
        embedded.external_md_algorithm = embedded.md_algorithm
    md = str(embedded.external_md_algorithm)
    found.facts["digest_algorithm"] = md
    usable = digest_usable(md, found.verifier.policy.allow_weak_algorithms, found.reasons)
    _check_coverage(found, embedded, usable)
    user_id = found.verifier.policy.sm2_user_id
    if timestamp:
        token = check_token(signed_data, embedded.compute_digest if usable else None, found.verifier, found.at,
                            store.certificates, store.crls, user_id)
        found.facts.update(timestamp=token, intact=token.intact, valid=token.intact)
        found.facts["signature_algorithm"] = signed_data["signer_infos"][0]["signature_algorithm"]["algorithm"].dotted
        found.reasons.extend(token.reasons)
        found.trust = token.trust
        found.certificate = tsa_certificate(signed_data)
        return
    _check_signer(found, embedded, usable, Sm2SignatureValidator(user_id), store)


def _check_coverage(found: _Field, embedded: Any, usable: bool) -> None:
    """Coverage, and (for a signature followed by other revisions) what those revisions changed."""
    if usable:
        embedded.compute_digest()  # (an unreadable range is malformed, not a change)
        try:
            embedded.compute_integrity_info(diff_policy=DEFAULT_DIFF_POLICY)
        except Exception as exc:  # noqa: BLE001 - fail closed on changes pyHanko cannot analyse
            embedded.coverage = embedded.evaluate_signature_coverage()
            embedded.diff_result = None
            if isinstance(exc, misc.PdfDecodeLimitError):
                found.reasons.append(_unreadable(exc, "the changes after signing"))
            elif embedded.coverage is SignatureCoverageLevel.ENTIRE_REVISION:
                found.facts["modification"] = Modification.OTHER
                found.reasons.append(Reason(R.DISALLOWED_CHANGE, f"the changes after signing could not be analysed: {describe(exc)}"))
    else:
        embedded.coverage = embedded.evaluate_signature_coverage()
        embedded.diff_result = None
    coverage = _COVERAGE.get(embedded.coverage.name, Coverage.NOT_COVERING)
    found.facts["coverage"] = coverage
    docmdp = embedded.docmdp_level
    found.facts["docmdp"] = _DOCMDP.get(docmdp.value) if docmdp is not None else None
    if coverage is Coverage.NOT_COVERING:
        found.reasons.append(Reason(R.INCOMPLETE_COVERAGE, f"the ByteRange {list(embedded.byte_range)} does not cover "
                                    f"its whole revision ({embedded.coverage.name.lower()})"))
        return
    diff = embedded.diff_result
    if diff is None:
        return
    if isinstance(diff, DiffResult):
        level = Modification(diff.modification_level.name.lower())
        found.facts["changed_fields"] = tuple(sorted(str(f) for f in diff.changed_form_fields))
        allowed = level is not Modification.OTHER and (docmdp is None or diff.modification_level.value <= docmdp.value)
        detail = f"{level.value} changes after signing" + (f", but DocMDP allows only {_DOCMDP.get(docmdp.value)}" if docmdp else "")
    else:
        level, allowed, detail = Modification.OTHER, False, "changes after signing: " + " ".join(str(diff).split())[:500]
    found.facts["modification"] = level
    if not allowed:
        found.reasons.append(Reason(R.DISALLOWED_CHANGE, detail))


def _check_signer(found: _Field, embedded: Any, usable: bool, hook: Sm2SignatureValidator, store: _SecurityStore) -> None:
    signer_info = embedded.signer_info
    signed_data = embedded.signed_data
    found.facts["signature_algorithm"] = signer_info["signature_algorithm"]["algorithm"].dotted
    try:
        found.facts["signing_time"] = embedded.self_reported_timestamp
    except Exception as exc:  # noqa: BLE001 - an unreadable claim is reported, and never used anyway
        found.warnings.append(Reason(R.MALFORMED, f"unreadable signing time: {describe(exc)}"))
    try:
        cert = embedded.signer_cert
        ess_mismatch = None
    except SignatureValidationError as exc:  # absent, or not the one the signing-certificate attribute names
        cert, ess_mismatch = _named_certificate(signed_data), exc
        if cert is None:
            found.reasons.append(Reason(R.SIGNER_NOT_FOUND, describe(exc)))
            return
    signer = found.certificate = Certificate(cert.dump())
    _check_algorithms(signer_info, found)
    if ess_mismatch is not None:
        _check_substitution(found, signer_info, cert, signer, hook, ess_mismatch)
    elif usable and _content_type_ok(signer_info, signed_data, found.reasons):
        _check_integrity(found, embedded, cert, signer, hook)
    if signer.key_usage is not None and not signer.key_usage & _SIGNING_USAGES:
        found.reasons.append(Reason(R.KEY_USAGE, "the signer certificate's keyUsage allows neither digitalSignature "
                                    "nor nonRepudiation", signer.subject_text))
    others = _embedded(signed_data, "certificates", "certificate", Certificate, found.warnings) + list(store.certificates)
    crls = list(store.crls) + _embedded(signed_data, "crls", "crl", CertificateList, found.warnings)
    when = found.at
    token = signature_token(signer_info)
    if token is not None:
        stamp = check_token(token, lambda name: digest(name, signer_info["signature"].native), found.verifier, found.at,
                            others, crls, hook.user_id)
        found.facts["timestamp"] = stamp
        found.reasons.extend(stamp.reasons)
        if stamp.trust is not None and not stamp.trust.accepted:
            found.warnings.extend(Reason(r.code, f"the timestamp's TSA is not trusted ({r.message}); not used as the signing "
                                         f"time", "timestamp") for r in stamp.trust.reasons)
        if stamp.proven and when is None:
            when = stamp.time
    found.trust = found.verifier.verify_certificate(signer, at=when, untrusted=others, crls=crls, ocsp_responses=store.ocsp)
    found.warnings.extend(found.trust.warnings)
    try:
        found.facts["identity"] = found.verifier.identify(signer, result=found.trust)
    except MalformedInput:
        pass


def _check_algorithms(signer_info: Any, found: _Field) -> None:
    """A signature mechanism that names its own hash (md5WithRSA, ecdsa-with-SHA1) is held to the
    digest policy too: pyca/cryptography would verify it."""
    try:
        implied = str(signer_info["signature_algorithm"].hash_algo)
    except (KeyError, ValueError):  # rsaEncryption, SM2 and other mechanisms without one
        return
    if implied != found.facts.get("digest_algorithm"):
        digest_usable(implied, found.verifier.policy.allow_weak_algorithms, found.reasons)


def _check_integrity(found: _Field, embedded: Any, cert: Any, signer: Certificate, hook: Sm2SignatureValidator) -> None:
    """pyHanko's SignerInfo checks (algorithm protection, ESS, contentType, messageDigest against
    the ByteRange digest) and the signature maths through the hook."""
    content_type = embedded.signed_data["encap_content_info"]["content_type"].native
    try:
        intact, valid = validate_sig_integrity(embedded.signer_info, cert, content_type, embedded.compute_digest(),
                                               sig_validator=hook)
    except SignatureValidationError as exc:
        malformed = exc.ades_subindication is AdESFailure.FORMAT_FAILURE
        found.reasons.append(Reason(R.MALFORMED if malformed else R.BAD_SIGNATURE, describe(exc), signer.subject_text))
        return
    found.facts.update(intact=bool(intact), valid=bool(valid))
    if not intact and embedded.signer_info["signed_attrs"]:  # (without them, pyHanko's intact is just valid)
        found.reasons.append(Reason(R.DIGEST_MISMATCH, "the messageDigest differs from the digest of the ByteRange"))
    if valid:
        return
    if hook.unsupported is not None:
        found.reasons.append(Reason(R.UNSUPPORTED_ALGORITHM, hook.unsupported, signer.subject_text))
    else:
        found.reasons.append(Reason(R.BAD_SIGNATURE, "the signature does not verify with the signer's key", signer.subject_text))


def _check_substitution(found: _Field, signer_info: Any, cert: Any, signer: Certificate, hook: Sm2SignatureValidator,
                        mismatch: Exception) -> None:
    """The certificate the SignerInfo names is embedded, but the signed signing-certificate
    attribute (RFC 5035 ESS) names another: a swapped certificate. If the signature does not verify
    with it either, that is the finding; if it does, the key was certified twice and the signer
    meant the other certificate (ETSI EN 319 102-1 §5.2.3.4: no signing certificate found)."""
    context = SignatureValidationContext(contextual_md_algorithm=found.facts.get("digest_algorithm"))
    try:
        hook.validate_signature(signer_info["signature"].native, signer_info["signed_attrs"].untag().dump(),
                                cert.public_key, signer_info["signature_algorithm"], context)
    except _CryptographyInvalidSignature:
        found.reasons.append(Reason(R.BAD_SIGNATURE, "the signature does not verify with the embedded certificate the "
                                    "SignerInfo names (and its signing-certificate attribute names another)",
                                    signer.subject_text))
        return
    found.facts["valid"] = True
    found.reasons.append(Reason(R.SIGNER_NOT_FOUND, describe(mismatch), signer.subject_text))


def _named_certificate(signed_data: Any) -> Any:
    """The embedded certificate the SignerInfo's sid names, whatever the ESS attribute says."""
    try:
        return extract_certificate_info(signed_data).signer_cert
    except (CMSExtractionError, KeyError, ValueError):
        return None


def _content_type_ok(signer_info: Any, signed_data: Any, reasons: list[Reason]) -> bool:
    """RFC 5652 §5.3: with signed attributes, exactly one contentType, equal to the eContentType."""
    attributes = signer_info["signed_attrs"]
    if not attributes:
        return True
    try:
        found = find_unique_cms_attribute(attributes, "content_type").native
    except (KeyError, ValueError) as exc:
        reasons.append(Reason(R.CONTENT_TYPE_MISMATCH, f"contentType attribute: {describe(exc)}"))
        return False
    expected = signed_data["encap_content_info"]["content_type"].native
    if found != expected:
        reasons.append(Reason(R.CONTENT_TYPE_MISMATCH, f"contentType attribute {found} differs from eContentType {expected}"))
        return False
    return True


def _embedded(signed_data: Any, field: str, choice_name: str, parse: Callable[[bytes], _T], warnings: list[Reason]) -> list[_T]:
    """The certificates (or CRLs) of a SignedData's ``field`` that are of the ``choice_name`` kind."""
    out: list[_T] = []
    for index, choice in enumerate(signed_data[field] or ()):
        if choice.name == choice_name:
            try:
                out.append(parse(choice.chosen.dump()))
            except MalformedInput as exc:
                warnings.append(Reason(R.MALFORMED, f"embedded {choice_name} {index} is unreadable: {exc}"))
    return out


__all__ = ["Coverage", "Modification", "PdfLimits", "PdfResult", "PdfSignatureResult", "SignatureKind",
           "Sm2SignatureValidator", "TimestampResult", "verify_pdf"]
