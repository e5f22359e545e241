"""Seals and seal signatures built by the tests themselves: GM/T 0031-2014 (v1), GB/T 38540-2020 (v4) and
GM/T 0031-2025 (v5), signed with SM2 by :class:`certmutual.pki.builder.SigningKey`.

A small SM2 PKI (root → issuing CA → seal maker, signer, second signer, time-stamping authority) is
built once per session around :data:`tests.pki_factory.REF_TIME`. Structures are assembled from DER
pieces here (a few lines of TLV encoding), so a test can state exactly one deviation from the standard
(a GeneralizedTime without "Z", certListType 3, a mis-decoded name…) and see exactly one finding; the
standard forms are checked against the asn1crypto declarations in ``certmutual.asn1`` by the
round-trip tests.

Defaults: the seal is valid from REF_TIME − 30 days to REF_TIME + 1 year, the signature is made at
REF_TIME − 1 day, ``dataHash`` is SM3 of :data:`DATA`, and everything verifies with
:meth:`SealPKI.verifier`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import algos, cms, core, tsp, x509

from certmutual import Policy, Verifier
from certmutual.asn1.oids import EKU_OID, register
from certmutual.crypto import sm2
from certmutual.crypto.oids import SM_OID
from certmutual.crypto.sm3 import sm3
from certmutual.pki.builder import KeyKind, RawExtension, SigningKey
from certmutual.pki.certificate import Certificate
from tests.pki_factory import DAY, REF_TIME, YEAR, ca_name, get_key, issue, leaf_name

register()

UTC = datetime.timezone.utc
DATA = b'<?xml version="1.0" encoding="UTF-8"?><ofd:Signature xmlns:ofd="http://www.ofdspec.org/2016"/>'
"""What the default seal signature's dataHash covers (an OFD Signature.xml stands in)."""
PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
SEAL_CREATED = REF_TIME - 30 * DAY
SEAL_END = REF_TIME + YEAR
SIGNED_AT = REF_TIME - DAY
CREDIT_CODE = "91440300708461136T"
"""The signer's unified social credit code (GM/T 0015 extension 1.2.156.10260.4.1.4)."""


# -- DER pieces ------------------------------------------------------------------------------------


def length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + length(len(content)) + content


def seq(*parts: bytes) -> bytes:
    return tlv(0x30, b"".join(parts))


def integer(value: int) -> bytes:
    return tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def ia5(text: str) -> bytes:
    return tlv(0x16, text.encode("ascii"))


def utf8(text: str) -> bytes:
    return tlv(0x0C, text.encode("utf-8"))


def octets(value: bytes) -> bytes:
    return tlv(0x04, value)


def bits(value: bytes, unused: int = 0) -> bytes:
    return tlv(0x03, bytes([unused]) + value)


def oid(dotted: str) -> bytes:
    return core.ObjectIdentifier(dotted).dump()


def explicit0(inner: bytes) -> bytes:
    return tlv(0xA0, inner)


def time_field(when: datetime.datetime, form: str) -> bytes:
    """A time in one of the forms seals use: ``generalized`` (standard v4), ``utc`` (standard v1),
    ``no_z`` (GeneralizedTime in UTC+8 without "Z"), ``two_digit`` (a UTCTime text in a
    GeneralizedTime), ``utc_four_digit`` (YYYYMMDDHHMMZ in a UTCTime)."""
    when = when.astimezone(UTC)
    if form == "generalized":
        return tlv(0x18, when.strftime("%Y%m%d%H%M%SZ").encode())
    if form == "utc":
        return tlv(0x17, when.strftime("%y%m%d%H%M%SZ").encode())
    if form == "no_z":
        local = when.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
        return tlv(0x18, local.strftime("%Y%m%d%H%M%S").encode())
    if form == "two_digit":
        return tlv(0x18, when.strftime("%y%m%d%H%M%SZ").encode())
    if form == "utc_four_digit":
        return tlv(0x17, when.strftime("%Y%m%d%H%MZ").encode())
    raise ValueError(form)


def unsigned_integers(signature: bytes) -> bytes:
    """An SM2 DER signature re-written with r and s as unsigned INTEGERs (no 0x00 before a high bit),
    as some seal software does."""
    r, s = sm2.decode_signature(signature)
    def raw(v: int) -> bytes:
        return tlv(0x02, v.to_bytes((v.bit_length() + 7) // 8, "big"))
    return seq(raw(r), raw(s))


# -- the PKI ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SealPKI:
    """Root → issuing CA → {maker, signer, other signer, TSA}, all SM2, valid ±2 years around REF_TIME."""

    root: Certificate
    ca: Certificate
    maker: Certificate
    signer: Certificate
    other_signer: Certificate
    tsa: Certificate
    maker_key: SigningKey
    signer_key: SigningKey
    other_key: SigningKey
    tsa_key: SigningKey

    def verifier(self, policy: Policy | None = None, anchors: Sequence[Certificate] | None = None) -> Verifier:
        return Verifier(list(anchors) if anchors is not None else [self.root], intermediates=[self.ca], policy=policy)


@functools.lru_cache(maxsize=1)
def pki() -> SealPKI:
    root_key, ca_key = get_key(KeyKind.SM2, "seal-root"), get_key(KeyKind.SM2, "seal-ca")
    root = issue(subject=ca_name("Seal Test Root"), subject_key=root_key, ca=True)
    ca = issue(subject=ca_name("Seal Test CA"), subject_key=ca_key, issuer=root, issuer_key=root_key, ca=True)
    keys = {label: get_key(KeyKind.SM2, f"seal-{label}") for label in ("maker", "signer", "other", "tsa")}
    usage = {"digital_signature", "non_repudiation"}
    credit = RawExtension("1.2.156.10260.4.1.4", False, tlv(0x13, CREDIT_CODE.encode()))

    def leaf(common_name: str, label: str, **extra: object) -> Certificate:
        return issue(subject=leaf_name(common_name), subject_key=keys[label], issuer=ca, issuer_key=ca_key, **extra)

    return SealPKI(
        root=root, ca=ca,
        maker=leaf("电子印章制作系统", "maker", key_usage=usage),
        signer=leaf("示范科技有限公司", "signer", key_usage=usage, extra_extensions=[credit]),
        other_signer=leaf("另一家公司", "other", key_usage=usage),
        tsa=leaf("Seal Test TSA", "tsa", key_usage=usage, ext_key_usage=[EKU_OID.TIME_STAMPING]),
        maker_key=keys["maker"], signer_key=keys["signer"], other_key=keys["other"], tsa_key=keys["tsa"],
    )


# -- timestamps ------------------------------------------------------------------------------------


def timestamp_token(stamped: bytes, at: datetime.datetime, *, tsa: Certificate | None = None,
                    tsa_key: SigningKey | None = None, imprint: bytes | None = None, serial: int = 7) -> bytes:
    """An RFC 3161 TimeStampToken (CMS SignedData, SM2/SM3) over ``stamped`` at ``at``."""
    p = pki()
    tsa = tsa or p.tsa
    tsa_key = tsa_key or p.tsa_key
    info = tsp.TSTInfo({
        "version": "v1", "policy": "1.2.156.112562.2.1.1",
        "message_imprint": {"hash_algorithm": {"algorithm": SM_OID.SM3},
                            "hashed_message": imprint if imprint is not None else sm3(stamped)},
        "serial_number": serial, "gen_time": at.astimezone(UTC).replace(microsecond=0),
    })
    info_der = info.dump()
    attributes = cms.CMSAttributes([
        {"type": "content_type", "values": ["tst_info"]},
        {"type": "message_digest", "values": [sm3(info_der)]},
        {"type": "signing_certificate_v2", "values": [{"certs": [{"cert_hash": hashlib.sha256(tsa.der).digest()}]}]},
    ])
    signature = tsa_key.sign(attributes.dump())
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier(name="issuer_and_serial_number",
                                    value={"issuer": tsa.issuer, "serial_number": tsa.serial}),
        "digest_algorithm": {"algorithm": SM_OID.SM3},
        "signed_attrs": attributes,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": SM_OID.SM2_WITH_SM3}),
        "signature": signature,
    })
    signed = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [{"algorithm": SM_OID.SM3}],
        "encap_content_info": {"content_type": "tst_info", "content": info},
        "certificates": [x509.Certificate.load(tsa.der)],
        "signer_infos": [signer],
    })
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())


# -- seals -----------------------------------------------------------------------------------------


def seal(
    version: str = "v4",
    *,
    header_version: int | None = None,
    es_id: str = "44030000000001",
    vendor_id: str = "CERTMUTUAL",
    name: str = "示范科技有限公司合同专用章",
    name_field: bytes | None = None,
    seal_type: int = 1,
    signers: Sequence[Certificate] | None = None,
    cert_list_type: int = 1,
    digest_type: str = "SM3",
    certificate_list: bytes | None = None,
    created: datetime.datetime = SEAL_CREATED,
    valid_start: datetime.datetime | None = None,
    valid_end: datetime.datetime = SEAL_END,
    time_form: str | None = None,
    picture: bytes = PICTURE,
    picture_type: str = "PNG",
    size_mm: tuple[int, int] = (40, 40),
    extensions: Sequence[tuple[str, bool, bytes]] = (),
    maker: Certificate | None = None,
    maker_key: SigningKey | None = None,
    timestamp: bool | bytes = False,
    unsigned_signature: bool = False,
) -> bytes:
    """An SESeal of ``version`` ("v1", "v4" or "v5") signed by the maker (see the module docstring)."""
    p = pki()
    maker = maker or p.maker
    maker_key = maker_key or p.maker_key
    signers = list(signers) if signers is not None else [p.signer]
    v1 = version == "v1"
    form = time_form or ("utc" if v1 else "generalized")
    header = seq(ia5("ES"), integer(header_version if header_version is not None else {"v1": 1, "v4": 4, "v5": 5}[version]),
                 ia5(vendor_id))
    if certificate_list is None:
        if cert_list_type == 2:
            certificate_list = seq(*(seq(tlv(0x13, digest_type.encode()), octets(sm3(c.der))) for c in signers))
        else:
            certificate_list = seq(*(octets(c.der) for c in signers))
    type_field = b"" if v1 else integer(cert_list_type)
    prop = seq(integer(seal_type), name_field if name_field is not None else utf8(name), type_field, certificate_list,
               time_field(created, form), time_field(valid_start or created, form), time_field(valid_end, form))
    pic = seq(ia5(picture_type), octets(picture), integer(size_mm[0]), integer(size_mm[1]))
    ext = seq(*(seq(oid(o), tlv(0x01, b"\xff") if critical else b"", octets(value)) for o, critical, value in extensions))
    info = seq(header, ia5(es_id), prop, pic, ext if extensions else b"")
    algorithm = oid(SM_OID.SM2_WITH_SM3)
    cert_field = octets(maker.der)
    if v1:
        covered = info + cert_field + algorithm
        value = maker_key.sign(seq(covered))
        value = unsigned_integers(value) if unsigned_signature else value
        return seq(info, seq(cert_field, algorithm, bits(value)))
    value = maker_key.sign(info)
    value = unsigned_integers(value) if unsigned_signature else value
    stamp = b""
    if timestamp:
        token = timestamp if isinstance(timestamp, bytes) else timestamp_token(value, created + datetime.timedelta(minutes=1))
        stamp = explicit0(bits(token))
    return seq(info, cert_field, algorithm, bits(value), stamp)


def signature(
    sealed: bytes | None = None,
    version: str | None = None,
    *,
    data: bytes = DATA,
    data_hash: bytes | None = None,
    tbs_version: int | None = None,
    signed_at: datetime.datetime = SIGNED_AT,
    time_form: str | None = None,
    time_info: bytes | None = None,
    property_info: str = "/Doc_0/Signs/Sign_0/Signature.xml",
    signer: Certificate | None = None,
    signer_key: SigningKey | None = None,
    timestamp: bool | bytes = False,
    timestamp_at: datetime.datetime | None = None,
    extensions: Sequence[tuple[str, bool, bytes]] = (),
    octet_data_hash: bool = False,
) -> bytes:
    """An SES_Signature over ``data`` with ``sealed`` (default: a fresh seal of ``version``).

    v1 ``time_form``: "text" ("YYYY-MM-DD HH:MM:SS", UTC+8; the default), "iso" (ISO 8601 with Z),
    "utc_text" (UTCTime characters) or "element" (a UTCTime element instead of a BIT STRING).
    v4/v5: as :func:`time_field`. ``time_info`` gives the raw field instead."""
    p = pki()
    version = version or "v4"
    sealed = sealed if sealed is not None else seal(version)
    signer = signer or p.signer
    signer_key = signer_key or p.signer_key
    digest = data_hash if data_hash is not None else sm3(data)
    algorithm = oid(SM_OID.SM2_WITH_SM3)
    v1 = version == "v1"
    if time_info is None:
        if v1:
            form = time_form or "text"
            local = signed_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
            texts = {"text": local.strftime("%Y-%m-%d %H:%M:%S"),
                     "iso": signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                     "utc_text": signed_at.astimezone(UTC).strftime("%y%m%d%H%M%SZ")}
            time_info = time_field(signed_at, "utc") if form == "element" else bits(texts[form].encode())
        else:
            time_info = time_field(signed_at, time_form or "generalized")
    hash_field = octets(digest) if octet_data_hash else bits(digest)
    number = tbs_version if tbs_version is not None else {"v1": 1, "v4": 4, "v5": 5}[version]
    if v1:
        tbs = seq(integer(number), sealed, time_info, hash_field, ia5(property_info), octets(signer.der), algorithm)
        return seq(tbs, bits(signer_key.sign(tbs)))
    ext = explicit0(seq(*(seq(oid(o), tlv(0x01, b"\xff") if c else b"", octets(v)) for o, c, v in extensions)))
    tbs = seq(integer(number), sealed, time_info, hash_field, ia5(property_info), ext if extensions else b"")
    value = signer_key.sign(tbs)
    stamp = b""
    if timestamp:
        token = timestamp if isinstance(timestamp, bytes) else timestamp_token(value, timestamp_at or signed_at + datetime.timedelta(seconds=5))
        stamp = explicit0(bits(token))
    return seq(tbs, octets(signer.der), algorithm, bits(value), stamp)


def flip_bit(data: bytes, offset: int, bit: int = 0) -> bytes:
    """``data`` with one bit flipped at ``offset``."""
    out = bytearray(data)
    out[offset] ^= 1 << bit
    return bytes(out)
