"""GM/T 0031-2014 《安全电子签章密码技术规范》 ("v1" seals): the electronic seal (SESeal) and the seal
signature (SES_Signature), as asn1crypto declarations.

Source: GM/T 0031-2014, the seal data structure and the seal signature data structure (the ASN.1 as
recovered from the standard's PDF and cross-checked with ofdrw ``ses/v1`` and the Chingliu verifier's
``SESv2_*``; shared reference: china-specs §4.2). The clause numbers of the 2014 text could not be
recovered (its Chinese prose has no Unicode mapping), so classes name the structure, not a clause.
Field names are the standard's own ASN.1 names, including its spelling ``SES_ESPictrueInfo``.

These declarations describe the *standard* form. Real seals deviate (china-specs §4.8); the seal
layer (:mod:`certmutual.seals`) walks the original bytes itself, tolerates the known deviations as
warnings, and hands sub-structures to these specs only through :func:`certmutual.asn1.der.load`.
Signatures are always checked over the bytes as received, never over a re-encoding.
"""

from __future__ import annotations

from asn1crypto import core


class ExtData(core.Sequence):
    """Source: GM/T 0031-2014, ExtensionDatas (vendor extension data), one entry."""

    _fields = [
        ("extnID", core.ObjectIdentifier),
        ("critical", core.Boolean, {"default": False}),
        ("extnValue", core.OctetString),
    ]


class ExtensionDatas(core.SequenceOf):
    """Source: GM/T 0031-2014, ``ExtensionDatas ::= SEQUENCE SIZE (0..MAX) OF ExtData``."""

    _child_spec = ExtData


class SES_Header(core.Sequence):
    """Source: GM/T 0031-2014, seal header: ``ID`` is "ES", ``Vid`` the vendor identifier.

    The ``version`` number does not reliably tell the layout (real v1-layout seals say 2 or 4)."""

    _fields = [
        ("ID", core.IA5String),
        ("version", core.Integer),
        ("Vid", core.IA5String),
    ]


class CertList(core.SequenceOf):
    """Source: GM/T 0031-2014, ``certList SEQUENCE OF cert``: the signer (签章人) certificates, each
    the DER of a certificate in an OCTET STRING (the text also prints ``certID ::= IA5String``, an
    editorial slip no implementation follows)."""

    _child_spec = core.OctetString


class SES_ESPropertyInfo(core.Sequence):
    """Source: GM/T 0031-2014, seal properties. ``type``: 1 organisation seal (单位印章), 2 personal
    seal (个人印章); ``name`` the seal's name; dates are UTCTime."""

    _fields = [
        ("type", core.Integer),
        ("name", core.UTF8String),
        ("certList", CertList),
        ("createDate", core.UTCTime),
        ("validStart", core.UTCTime),
        ("validEnd", core.UTCTime),
    ]


class SES_ESPictrueInfo(core.Sequence):
    """Source: GM/T 0031-2014, the seal picture (sic: "Pictrue"). ``type`` is "GIF", "BMP", "JPG",
    "PNG", "SVG"…; ``width`` and ``height`` are the printed size in millimetres."""

    _fields = [
        ("type", core.IA5String),
        ("data", core.OctetString),
        ("width", core.Integer),
        ("height", core.Integer),
    ]


class SES_SealInfo(core.Sequence):
    """Source: GM/T 0031-2014, the seal information the maker signs (with its certificate and
    algorithm, see :class:`SealSignedContent`). ``extDatas`` carries no tag in practice."""

    _fields = [
        ("header", SES_Header),
        ("esID", core.IA5String),
        ("property", SES_ESPropertyInfo),
        ("picture", SES_ESPictrueInfo),
        ("extDatas", ExtensionDatas, {"optional": True}),
    ]


class SES_SignInfo(core.Sequence):
    """Source: GM/T 0031-2014, the seal maker's (制章人) signature: ``cert`` is the maker's
    certificate (DER), ``signData`` the signature value (for SM2 the DER SEQUENCE {r, s})."""

    _fields = [
        ("cert", core.OctetString),
        ("signatureAlgorithm", core.ObjectIdentifier),
        ("signData", core.OctetBitString),
    ]


class SESeal(core.Sequence):
    """Source: GM/T 0031-2014, the electronic seal: ``SEQUENCE { esealInfo, signInfo }``."""

    _fields = [
        ("esealInfo", SES_SealInfo),
        ("signInfo", SES_SignInfo),
    ]


class SealSignedContent(core.Sequence):
    """What ``SES_SignInfo.signData`` signs (GM/T 0031-2014: seal information, maker certificate and
    signature algorithm identifier "composed as a SEQUENCE"; not named by the standard).

    Verified here: ofdrw's v1 sample verifies over this SEQUENCE and not over SES_SealInfo alone
    (china-specs §4.5). The seal layer assembles it from the three elements' *original* encodings."""

    _fields = [
        ("esealInfo", SES_SealInfo),
        ("cert", core.OctetString),
        ("signatureAlgorithm", core.ObjectIdentifier),
    ]


class TBS_Sign(core.Sequence):
    """Source: GM/T 0031-2014, the signed part of a seal signature (电子签章). ``timeInfo`` is "a
    timestamp or UTCTIME" in a BIT STRING (free-form in practice: text times are common);
    ``dataHash`` the hash of the signed data; ``propertyInfo`` vendor-defined attributes of it;
    ``cert`` the signer's certificate (DER), inside the signed part."""

    _fields = [
        ("version", core.Integer),
        ("eseal", SESeal),
        ("timeInfo", core.OctetBitString),
        ("dataHash", core.OctetBitString),
        ("propertyInfo", core.IA5String),
        ("cert", core.OctetString),
        ("signatureAlgorithm", core.ObjectIdentifier),
    ]


class SES_Signature(core.Sequence):
    """Source: GM/T 0031-2014, the seal signature: ``signature`` is over the DER of ``toSign``."""

    _fields = [
        ("toSign", TBS_Sign),
        ("signature", core.OctetBitString),
    ]


__all__ = [
    "CertList",
    "ExtData",
    "ExtensionDatas",
    "SES_ESPictrueInfo",
    "SES_ESPropertyInfo",
    "SES_Header",
    "SES_SealInfo",
    "SES_SignInfo",
    "SES_Signature",
    "SESeal",
    "SealSignedContent",
    "TBS_Sign",
]
