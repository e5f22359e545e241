"""Timestamp tokens over seal signature values: RFC 3161 §2.4.2 / GB/T 20520 ``TimeStampToken``, a CMS
``SignedData`` (RFC 5652 §5; PKCS #7 or GM/T 0010 OIDs; SM2, RSA or ECDSA signers) whose encapsulated
content is a ``TSTInfo``.

Checked, in order: the token reads (bounded); the content is a TSTInfo; exactly one SignerInfo, with
signed attributes whose contentType is id-ct-TSTInfo and whose messageDigest is the digest of the
eContent octets; the signer certificate is in the token; the signature over the signed attributes (DER
SET OF: the original ``[0]`` bytes with one identifier octet changed, RFC 5652 §5.4) verifies with its
key; an ESS signingCertificate(V2) attribute, when present, names that certificate; the messageImprint
is the digest of the stamped bytes; the TSA certificate validates through the caller's verifier at the
token's genTime with extended key usage timeStamping.

Not checked: the TSA policy OID, nonce and accuracy (a verifier of someone else's token has nothing to
compare them with). The CMS structure is walked with :mod:`certmutual.asn1.der` so every signed byte
is sliced from the token; asn1crypto sees only the TSTInfo and attribute values, through
:func:`certmutual.asn1.der.load`.
"""

from __future__ import annotations

import dataclasses
import datetime

from asn1crypto import tsp

from certmutual.asn1 import der
from certmutual.asn1.oids import EKU_OID
from certmutual.crypto import registry
from certmutual.crypto.digests import DIGEST_OIDS, digest
from certmutual.crypto.oids import SIG_OID, SM_OID
from certmutual.errors import InvalidSignature, MalformedInput, UnsupportedAlgorithm, UnsupportedReason
from certmutual.pki.certificate import Certificate
from certmutual.results import Reason, ReasonCode
from certmutual.seals.protocol import CertificateVerifier
from certmutual.seals.results import TimestampResult

SIGNED_DATA_OIDS = frozenset({"1.2.840.113549.1.7.2", "1.2.156.10197.6.1.4.2.2"})
TST_INFO_OID = "1.2.840.113549.1.9.16.1.4"
CONTENT_TYPE_ATTRIBUTE = "1.2.840.113549.1.9.3"
MESSAGE_DIGEST_ATTRIBUTE = "1.2.840.113549.1.9.4"
SIGNING_CERTIFICATE_ATTRIBUTE = "1.2.840.113549.1.9.16.2.12"
SIGNING_CERTIFICATE_V2_ATTRIBUTE = "1.2.840.113549.1.9.16.2.47"

DIGESTS = DIGEST_OIDS
WEAK_DIGESTS = frozenset({"sha1"})
_RSA, _EC = "1.2.840.113549.1.1.1", "1.2.840.10045.2.1"
_RSA_BY_DIGEST = {"sha1": SIG_OID.SHA1_RSA, "sha224": SIG_OID.SHA224_RSA, "sha256": SIG_OID.SHA256_RSA,
                  "sha384": SIG_OID.SHA384_RSA, "sha512": SIG_OID.SHA512_RSA}
_ECDSA_BY_DIGEST = {"sha1": SIG_OID.ECDSA_SHA1, "sha224": SIG_OID.ECDSA_SHA224, "sha256": SIG_OID.ECDSA_SHA256,
                    "sha384": SIG_OID.ECDSA_SHA384, "sha512": SIG_OID.ECDSA_SHA512}

MAX_TOKEN_BYTES = 256 * 1024
MAX_CERTIFICATES = 16


def signature_algorithm(signature_oid: str, digest_name: str) -> str:
    """The registry algorithm a SignerInfo means: bare key algorithms (rsaEncryption, id-ecPublicKey,
    sm2, sm2-1) combined with its digest; combined OIDs as they are."""
    if signature_oid in (SM_OID.SM2, SM_OID.SM2_SIGN):
        return SM_OID.SM2_SIGN
    if signature_oid == _RSA:
        return _RSA_BY_DIGEST.get(digest_name, signature_oid)
    if signature_oid == _EC:
        return _ECDSA_BY_DIGEST.get(digest_name, signature_oid)
    return signature_oid


@dataclasses.dataclass(frozen=True, slots=True)
class _Token:
    """The parts of a token the checks use, all sliced from the token's bytes."""

    econtent: bytes
    certificates: tuple[bytes, ...]
    sid_issuer: bytes | None
    sid_serial: int | None
    sid_key_id: bytes | None
    digest_name: str
    signed_attributes: bytes
    """The DER SET OF the signature covers."""
    attributes: dict[str, list[bytes]]
    """Attribute OID -> the content octets of each value's SET."""
    signature_oid: str
    signature_parameters: bytes | None
    signature: bytes


def _elements(data: bytes, element: tuple[int, int, int, int], what: str, tag: int | None = None) -> list[tuple[int, int, int, int]]:
    if tag is not None and element[0] != tag:
        raise MalformedInput(f"{what}: expected tag 0x{tag:02x}, found 0x{element[0]:02x}")
    return der.elements(data, element[2], element[3])


def _read_token(token: bytes) -> _Token:
    if len(token) > MAX_TOKEN_BYTES:
        raise MalformedInput(f"a {len(token)}-byte timestamp token")
    tag, start, end = der.read_header(token, 0)
    if tag != 0x30 or end != len(token):
        raise MalformedInput("not a ContentInfo SEQUENCE")
    info = der.elements(token, start, end)
    if len(info) != 2 or info[0][0] != 0x06 or info[1][0] != 0xA0:
        raise MalformedInput("not a ContentInfo { contentType, [0] content }")
    if der.decode_oid(token[info[0][2]:info[0][3]]) not in SIGNED_DATA_OIDS:
        raise MalformedInput("the ContentInfo does not hold SignedData")
    inner = _elements(token, info[1], "content")
    if len(inner) != 1:
        raise MalformedInput("[0] content must hold one SignedData")
    fields = _elements(token, inner[0], "SignedData", 0x30)
    if len(fields) < 4:
        raise MalformedInput("SignedData is too short")
    encap = _elements(token, fields[2], "encapContentInfo", 0x30)
    if len(encap) != 2 or encap[0][0] != 0x06 or encap[1][0] != 0xA0:
        raise MalformedInput("encapContentInfo has no eContent")
    if der.decode_oid(token[encap[0][2]:encap[0][3]]) != TST_INFO_OID:
        raise MalformedInput("the eContent is not a TSTInfo")
    econtent_elements = _elements(token, encap[1], "eContent")
    if len(econtent_elements) != 1 or econtent_elements[0][0] != 0x04:
        raise MalformedInput("eContent is not one OCTET STRING")
    econtent = token[econtent_elements[0][2]:econtent_elements[0][3]]
    certificates: list[bytes] = []
    position = 3
    while position < len(fields) - 1:
        element = fields[position]
        if element[0] == 0xA0:
            for cert in _elements(token, element, "certificates"):
                if cert[0] == 0x30:
                    certificates.append(token[cert[1]:cert[3]])
            if len(certificates) > MAX_CERTIFICATES:
                raise MalformedInput(f"more than {MAX_CERTIFICATES} certificates in a timestamp token")
        elif element[0] != 0xA1:
            raise MalformedInput(f"SignedData: unexpected tag 0x{element[0]:02x}")
        position += 1
    signers = _elements(token, fields[-1], "signerInfos", 0x31)
    if len(signers) != 1:
        raise MalformedInput(f"a timestamp token has one SignerInfo, found {len(signers)}")
    return _read_signer(token, signers[0], econtent, tuple(certificates))


def _read_signer(token: bytes, element: tuple[int, int, int, int], econtent: bytes,
                 certificates: tuple[bytes, ...]) -> _Token:
    parts = _elements(token, element, "SignerInfo", 0x30)
    if len(parts) < 6 or parts[3][0] != 0xA0:
        raise MalformedInput("the SignerInfo has no signed attributes")
    sid = parts[1]
    issuer = serial = key_id = None
    if sid[0] == 0x30:
        issuer_and_serial = _elements(token, sid, "issuerAndSerialNumber")
        if len(issuer_and_serial) != 2 or issuer_and_serial[1][0] != 0x02:
            raise MalformedInput("bad issuerAndSerialNumber")
        issuer = token[issuer_and_serial[0][1]:issuer_and_serial[0][3]]
        serial = der.decode_integer(token[issuer_and_serial[1][2]:issuer_and_serial[1][3]])
    elif sid[0] == 0x80:
        key_id = token[sid[2]:sid[3]]
    else:
        raise MalformedInput("bad SignerIdentifier")
    digest_oid, _ = der.algorithm_identifier(token[parts[2][1]:parts[2][3]])
    if digest_oid not in DIGESTS:
        raise UnsupportedAlgorithm(UnsupportedReason.UNKNOWN_SIGNATURE_ALGORITHM, f"digest {digest_oid}")
    signed = parts[3]
    signed_attributes = b"\x31" + token[signed[1] + 1:signed[3]]
    attributes: dict[str, list[bytes]] = {}
    for attribute in _elements(token, signed, "signedAttrs"):
        pieces = _elements(token, attribute, "Attribute", 0x30)
        if len(pieces) != 2 or pieces[0][0] != 0x06 or pieces[1][0] != 0x31:
            raise MalformedInput("bad Attribute")
        oid = der.decode_oid(token[pieces[0][2]:pieces[0][3]])
        if oid in attributes:
            raise MalformedInput(f"attribute {oid} appears twice")
        attributes[oid] = [token[value[1]:value[3]] for value in _elements(token, pieces[1], "values")]
    signature_oid, signature_parameters = der.algorithm_identifier(token[parts[4][1]:parts[4][3]])
    if parts[5][0] != 0x04:
        raise MalformedInput("the signature is not an OCTET STRING")
    return _Token(econtent, certificates, issuer, serial, key_id, DIGESTS[digest_oid], signed_attributes, attributes,
                  signature_oid, signature_parameters, token[parts[5][2]:parts[5][3]])


def _single(token: _Token, oid: str, what: str) -> bytes:
    values = token.attributes.get(oid, [])
    if len(values) != 1:
        raise MalformedInput(f"the token needs exactly one {what} attribute")
    return values[0]


def _primitive(value: bytes, tag: int, what: str) -> bytes:
    found, start, end = der.read_header(value, 0)
    if found != tag or end != len(value):
        raise MalformedInput(f"{what}: expected tag 0x{tag:02x}")
    return value[start:end]


def _find_signer(token: _Token) -> Certificate | None:
    for encoded in token.certificates:
        try:
            cert = Certificate(encoded)
        except MalformedInput:
            continue
        if token.sid_key_id is not None and cert.subject_key_id == token.sid_key_id:
            return cert
        if token.sid_issuer is not None and cert.serial == token.sid_serial and cert.issuer_der == token.sid_issuer:
            return cert
    return None


def _ess_names(token: _Token, signer: Certificate) -> bool | None:
    """Whether an ESS signingCertificate(V2) attribute names ``signer`` (None when there is none)."""
    for oid, spec in ((SIGNING_CERTIFICATE_V2_ATTRIBUTE, tsp.SigningCertificateV2),
                      (SIGNING_CERTIFICATE_ATTRIBUTE, tsp.SigningCertificate)):
        values = token.attributes.get(oid)
        if not values:
            continue
        parsed = der.load(spec, values[0])
        first = parsed["certs"][0]
        algorithm = "sha1"  # ESSCertID (RFC 2634 §5.4)
        if spec is tsp.SigningCertificateV2:  # ESSCertIDv2 (RFC 5035 §4): SHA-256 unless it says otherwise
            algorithm = DIGESTS.get(first["hash_algorithm"]["algorithm"].dotted, "")
        if not algorithm:
            raise MalformedInput("ESS certificate hash with an unknown algorithm")
        return bool(first["cert_hash"].native == digest(algorithm, signer.der))
    return None


def verify_timestamp(token: bytes, stamped: bytes, verifier: CertificateVerifier, *,
                     what: str = "timestamp") -> TimestampResult:
    """Verify ``token`` as a timestamp over ``stamped`` (the signature value it must imprint).

    Returns a :class:`TimestampResult`; never raises for bad tokens (they give ``timestamp_invalid``,
    ``bad_signature``, ``weak_algorithm`` or ``unsupported_algorithm`` reasons, plus the TSA
    certificate's own reasons)."""
    allow_weak = verifier.policy.allow_weak_algorithms
    try:
        parsed = _read_token(token)
        info = der.load(tsp.TSTInfo, parsed.econtent)
        imprint = info["message_imprint"]
        imprint_oid = imprint["hash_algorithm"]["algorithm"].dotted
        hashed = bytes(imprint["hashed_message"].native)
        gen_time = info["gen_time"].native
        serial = int(info["serial_number"].native)
        policy = info["policy"].dotted
    except der.ASN1_ERRORS as exc:
        return TimestampResult((Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: unreadable token: {_first_line(exc)}", what),))
    except UnsupportedAlgorithm as exc:
        return TimestampResult((Reason(ReasonCode.UNSUPPORTED_ALGORITHM, f"{what}: {exc}", what),))
    if not isinstance(gen_time, datetime.datetime):
        return TimestampResult((Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: genTime is not a time", what),))
    if gen_time.tzinfo is None:
        gen_time = gen_time.replace(tzinfo=datetime.timezone.utc)
    reasons: list[Reason] = []
    imprint_name = DIGESTS.get(imprint_oid)
    facts = {"time": gen_time, "hash_algorithm": imprint_name or imprint_oid, "serial": serial, "policy": policy}
    if imprint_name is None:
        reasons.append(Reason(ReasonCode.UNSUPPORTED_ALGORITHM, f"{what}: messageImprint digest {imprint_oid}", what))
    elif imprint_name in WEAK_DIGESTS and not allow_weak:
        reasons.append(Reason(ReasonCode.WEAK_ALGORITHM, f"{what}: messageImprint made with {imprint_name}", what))
    elif digest(imprint_name, stamped) != hashed:
        reasons.append(Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: messageImprint is not the {imprint_name} "
                              "digest of the signature value it stamps", what))
    try:
        content_type = der.decode_oid(_primitive(_single(parsed, CONTENT_TYPE_ATTRIBUTE, "contentType"), 0x06, "contentType"))
        message_digest = _primitive(_single(parsed, MESSAGE_DIGEST_ATTRIBUTE, "messageDigest"), 0x04, "messageDigest")
    except MalformedInput as exc:
        reasons.append(Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: {exc}", what))
        return TimestampResult(tuple(reasons), **facts)
    if content_type != TST_INFO_OID:
        reasons.append(Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: the signed contentType is not id-ct-TSTInfo", what))
    if parsed.digest_name in WEAK_DIGESTS and not allow_weak:
        reasons.append(Reason(ReasonCode.WEAK_ALGORITHM, f"{what}: SignerInfo digest {parsed.digest_name}", what))
    elif message_digest != digest(parsed.digest_name, parsed.econtent):
        reasons.append(Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: messageDigest does not match the TSTInfo", what))
    signer = _find_signer(parsed)
    if signer is None:
        reasons.append(Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: the TSA certificate is not in the token", what))
        return TimestampResult(tuple(reasons), **facts)
    reasons += _signature_reasons(parsed, signer, allow_weak, what)
    try:
        names = _ess_names(parsed, signer)
    except der.ASN1_ERRORS as exc:
        names = False
        reasons.append(Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: unreadable signingCertificate: {_first_line(exc)}", what))
    if names is False and not any(r.code is ReasonCode.TIMESTAMP_INVALID for r in reasons):
        reasons.append(Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: signingCertificate names another certificate", what))
    others = [Certificate(c) for c in parsed.certificates if c != signer.der and _readable(c)]
    policy_for_tsa = dataclasses.replace(verifier.policy, required_key_usage=frozenset(),
                                         required_ext_key_usage=frozenset({EKU_OID.TIME_STAMPING}))
    certificate = verifier.verify_certificate(signer, at=gen_time, untrusted=others, policy=policy_for_tsa)
    scope = f"{what} authority certificate"
    reasons += [Reason(r.code, r.message, f"{scope}: {r.concerns}" if r.concerns else scope)
                for r in certificate.reasons if r.code is not ReasonCode.OK]
    tsa = signer.chain_link(None)
    return TimestampResult(tuple(reasons), tsa=tsa, certificate=certificate, **facts)


def _readable(encoded: bytes) -> bool:
    try:
        Certificate(encoded)
    except MalformedInput:
        return False
    return True


def _signature_reasons(token: _Token, signer: Certificate, allow_weak: bool, what: str) -> list[Reason]:
    algorithm = signature_algorithm(token.signature_oid, token.digest_name)
    try:
        registry.verify_signature(signer.public_key, algorithm, token.signature_parameters, token.signature,
                                  token.signed_attributes, allow_weak=allow_weak)
    except InvalidSignature as exc:
        return [Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: the TSA's signature does not verify: {exc}", what)]
    except UnsupportedAlgorithm as exc:
        code = ReasonCode.WEAK_ALGORITHM if exc.reason is UnsupportedReason.WEAK_ALGORITHM else ReasonCode.UNSUPPORTED_ALGORITHM
        return [Reason(code, f"{what}: {exc}", what)]
    except MalformedInput as exc:
        return [Reason(ReasonCode.TIMESTAMP_INVALID, f"{what}: TSA key: {exc}", what)]
    return []


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = ["DIGESTS", "digest", "signature_algorithm", "verify_timestamp"]
