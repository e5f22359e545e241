"""GB/T 38540-2020 《信息安全技术 安全电子签章密码技术规范》 ("v4" seals): the electronic seal and
the seal signature, as asn1crypto declarations.

Source: GB/T 38540-2020 §6 (电子印章: data structure; verification procedure §6.3) and §7 (电子签章:
data structure; verification procedure §7.3), as implemented by ofdrw ``ses/v4`` and the Chingliu
verifier's ``SESv4_*`` (shared reference: china-specs §4.3). The sub-clause numbers of the data
structures themselves were not confirmed, so classes cite the section. Field names are the standard's
ASN.1 names.

Differences from GM/T 0031-2014 (:mod:`certmutual.asn1.gmt0031`) that matter to a verifier: the maker
signs ``SES_SealInfo`` alone; signer certificates may be listed by digest (``certListType`` 2); dates
are GeneralizedTime; the signer certificate and algorithm sit *outside* ``TBS_Sign``; an optional
``timeStamp`` covers the signature value.

Tagging: ofdrw writes ``timeStamp`` and ``TBS_Sign.extDatas`` as EXPLICIT [0] (declared so here);
other producers use IMPLICIT [0] or no tag. The seal layer accepts all three forms.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import core

from certmutual.asn1.gmt0031 import ExtData, ExtensionDatas, SES_Header


class CertListType:
    """Source: GB/T 38540-2020 §6, ``certListType``: what ``certList`` holds."""

    CERTIFICATES = 1
    DIGESTS = 2


class CertInfoList(core.SequenceOf):
    """Source: GB/T 38540-2020 §6, ``CertInfoList ::= SEQUENCE OF Cert`` with ``Cert ::= OCTET
    STRING`` (a DER certificate, GB/T 20518)."""

    _child_spec = core.OctetString


class CertDigestObj(core.Sequence):
    """Source: GB/T 38540-2020 §6, a certificate digest: ``type`` names the digest (user-defined
    text, e.g. "SM3" or an OID), ``value`` the certificate's hash."""

    _fields = [
        ("type", core.PrintableString),
        ("value", core.OctetString),
    ]


class CertDigestList(core.SequenceOf):
    """Source: GB/T 38540-2020 §6, ``CertDigestList ::= SEQUENCE OF CertDigestObj``."""

    _child_spec = CertDigestObj


def _cert_list_spec(info: Any) -> type:
    """``SES_CertList ::= CHOICE { certs CertInfoList, certDigestList CertDigestList }``: both
    alternatives are SEQUENCE OF, so the choice is made by ``certListType``, not by tag."""
    if info["certListType"].native == CertListType.DIGESTS:
        return CertDigestList
    return CertInfoList


class SES_ESPropertyInfo(core.Sequence):
    """Source: GB/T 38540-2020 §6, seal properties: ``type`` is user-defined; ``name`` must equal the
    registered seal name where one is registered; dates are GeneralizedTime."""

    _fields = [
        ("type", core.Integer),
        ("name", core.UTF8String),
        ("certListType", core.Integer),
        ("certList", core.Any),
        ("createDate", core.GeneralizedTime),
        ("validStart", core.GeneralizedTime),
        ("validEnd", core.GeneralizedTime),
    ]
    _spec_callbacks = {"certList": _cert_list_spec}


class SES_ESPictureInfo(core.Sequence):
    """Source: GB/T 38540-2020 §6, the seal picture: ``type`` ("PNG", "GIF", "JPG", "BMP", "SVG",
    "ofd" for an OFD vector picture…), ``data``, ``width`` and ``height`` in millimetres."""

    _fields = [
        ("type", core.IA5String),
        ("data", core.OctetString),
        ("width", core.Integer),
        ("height", core.Integer),
    ]


class SES_SealInfo(core.Sequence):
    """Source: GB/T 38540-2020 §6, the seal information: what the seal maker signs (its DER alone)."""

    _fields = [
        ("header", SES_Header),
        ("esID", core.IA5String),
        ("property", SES_ESPropertyInfo),
        ("picture", SES_ESPictureInfo),
        ("extDatas", ExtensionDatas, {"optional": True}),
    ]


class SESeal(core.Sequence):
    """Source: GB/T 38540-2020 §6, the electronic seal: ``cert`` is the seal maker's (制章者) unit
    certificate, ``signedValue`` its signature over the DER of ``eSealInfo``."""

    _fields = [
        ("eSealInfo", SES_SealInfo),
        ("cert", core.OctetString),
        ("signAlgID", core.ObjectIdentifier),
        ("signedValue", core.OctetBitString),
    ]


class TBS_Sign(core.Sequence):
    """Source: GB/T 38540-2020 §7, the signed part of a seal signature: ``version`` mirrors the seal
    version; ``timeInfo`` the signing time; ``dataHash`` the hash of the signed data; ``propertyInfo``
    its attributes (at least the protected range); ``extDatas`` vendor data."""

    _fields = [
        ("version", core.Integer),
        ("eseal", SESeal),
        ("timeInfo", core.GeneralizedTime),
        ("dataHash", core.OctetBitString),
        ("propertyInfo", core.IA5String),
        ("extDatas", ExtensionDatas, {"explicit": 0, "optional": True}),
    ]


class SES_Signature(core.Sequence):
    """Source: GB/T 38540-2020 §7, the seal signature: ``signature`` is over the DER of ``toSign``
    with the signer's ``cert`` and ``signatureAlgID``; ``timeStamp`` a GB/T 20520 token over the
    signature value."""

    _fields = [
        ("toSign", TBS_Sign),
        ("cert", core.OctetString),
        ("signatureAlgID", core.ObjectIdentifier),
        ("signature", core.OctetBitString),
        ("timeStamp", core.OctetBitString, {"explicit": 0, "optional": True}),
    ]


__all__ = [
    "CertDigestList",
    "CertDigestObj",
    "CertInfoList",
    "CertListType",
    "ExtData",
    "ExtensionDatas",
    "SES_ESPictureInfo",
    "SES_ESPropertyInfo",
    "SES_Header",
    "SES_SealInfo",
    "SES_Signature",
    "SESeal",
    "TBS_Sign",
]
