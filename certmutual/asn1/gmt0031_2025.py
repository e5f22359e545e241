"""GM/T 0031-2025 《安全电子签章密码技术规范》 ("v5" seals): the deltas from GB/T 38540-2020.

Source: the comparison article on GM/T 0031-2025 (利刃信安, 2026; shared reference china-specs §4.4,
[sourced], the standard's text itself was not available) and ofdrw's matching ``ses/v5`` classes. The
ASN.1 changes are: ``SESeal`` gains ``timeStamp [0] BIT STRING OPTIONAL`` (a GB/T 20520-2025 token
whose messageImprint is the hash of ``signedValue``); ``SES_Header.version`` and ``TBS_Sign.version``
are 5. Everything else is GB/T 38540's (:mod:`certmutual.asn1.gbt38540`), reused here.
"""

from __future__ import annotations

from asn1crypto import core

from certmutual.asn1.gbt38540 import (
    CertDigestList, CertDigestObj, CertInfoList, CertListType, ExtData, ExtensionDatas, SES_ESPictureInfo,
    SES_ESPropertyInfo, SES_Header, SES_SealInfo,
)

VERSION = 5
"""``SES_Header.version`` and ``TBS_Sign.version`` of a GM/T 0031-2025 seal and seal signature."""


class SESeal(core.Sequence):
    """Source: GM/T 0031-2025 (delta from GB/T 38540-2020 §6): the seal gains a timestamp over
    ``signedValue``."""

    _fields = [
        ("eSealInfo", SES_SealInfo),
        ("cert", core.OctetString),
        ("signAlgID", core.ObjectIdentifier),
        ("signedValue", core.OctetBitString),
        ("timeStamp", core.OctetBitString, {"explicit": 0, "optional": True}),
    ]


class TBS_Sign(core.Sequence):
    """Source: GM/T 0031-2025 (as GB/T 38540-2020 §7, ``version`` 5, embedding a v5 seal)."""

    _fields = [
        ("version", core.Integer),
        ("eseal", SESeal),
        ("timeInfo", core.GeneralizedTime),
        ("dataHash", core.OctetBitString),
        ("propertyInfo", core.IA5String),
        ("extDatas", ExtensionDatas, {"explicit": 0, "optional": True}),
    ]


class SES_Signature(core.Sequence):
    """Source: GM/T 0031-2025 (as GB/T 38540-2020 §7 over a v5 ``TBS_Sign``)."""

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
    "VERSION",
]
