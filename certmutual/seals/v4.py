"""GB/T 38540-2020 ("v4"): ``SESeal { eSealInfo, cert, signAlgID, signedValue }`` and
``SES_Signature { toSign, cert, signatureAlgID, signature, timeStamp [0] OPTIONAL }`` (declarations:
:mod:`certmutual.asn1.gbt38540`).

What is signed (china-specs §4.5, verified on ofdrw's samples): the maker's ``signedValue`` covers the
original ``SES_SealInfo`` alone; the signature covers the original ``TBS_Sign``; a timestamp covers the
signature value. The signer certificate and algorithm sit outside ``TBS_Sign``.

Tolerated (Suwell, BaiWang and other producers; corpus MANIFEST): GeneralizedTime without "Z" or with a
two-digit year, UTCTime dates, ``timeStamp`` and ``extDatas`` tagged EXPLICIT, IMPLICIT or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from certmutual.errors import MalformedInput
from certmutual.seals import fields as f
from certmutual.seals.fields import Element, Findings
from certmutual.seals.model import Seal, SealSignature, SealVersion
from certmutual.seals.sealinfo import parse_ext_datas, parse_seal_info
from certmutual.seals.standard import certificate_octets, check_version, timestamp_field


@dataclass(frozen=True)
class GBT38540_2020:
    """GB/T 38540-2020 《信息安全技术 安全电子签章密码技术规范》."""

    version: SealVersion = SealVersion.V4
    header_version: int = 4
    maker_grace: bool = False
    seal_timestamp: bool = False

    def parse_seal(self, data: bytes, parts: Sequence[Element], findings: Findings) -> Seal:
        if len(parts) not in (4, 5):
            raise MalformedInput(f"a {self.version.standard} SESeal has 4 or 5 elements, found {len(parts)}")
        info = parse_seal_info(data, parts[0], findings, v1_layout=False)
        check_version(info.header_version, self, "SES_Header.version", findings)
        maker = certificate_octets(data, parts[1], "SESeal.cert", findings)
        algorithm = f.oid(data, parts[2], "SESeal.signAlgID", findings)
        signature = f.bits(data, parts[3], "SESeal.signedValue", findings)
        timestamp = timestamp_field(data, parts[4], "SESeal.timeStamp", findings) if len(parts) == 5 else None
        return Seal(
            version=self.version, info=info, maker_certificate=maker, signature_algorithm=algorithm,
            signature=signature, signed_bytes=f.encoding(data, parts[0]), timestamp=timestamp, der=data,
            findings=tuple(findings.items),
        )

    def parse_signature(self, data: bytes, parts: Sequence[Element], tbs: Sequence[Element], seal: Seal,
                        findings: Findings) -> SealSignature:
        if len(parts) not in (4, 5) or len(tbs) not in (5, 6):
            raise MalformedInput(f"a {self.version.standard} SES_Signature is {{ TBS_Sign (5 or 6 elements), cert, "
                                 "signatureAlgID, signature, timeStamp? }")
        tbs_version = f.integer(data, tbs[0], "TBS_Sign.version")
        check_version(tbs_version, self, "TBS_Sign.version", findings)
        time_info = f.time(data, tbs[2], "TBS_Sign.timeInfo", findings, f.GENERALIZED_TIME)
        data_hash = f.bits(data, tbs[3], "TBS_Sign.dataHash", findings)
        property_info = f.text(data, tbs[4], "TBS_Sign.propertyInfo", findings, f.IA5_STRING)
        extensions = parse_ext_datas(data, tbs[5], findings, "TBS_Sign.extDatas") if len(tbs) == 6 else ()
        signer = certificate_octets(data, parts[1], "SES_Signature.cert", findings)
        algorithm = f.oid(data, parts[2], "SES_Signature.signatureAlgID", findings)
        signature = f.bits(data, parts[3], "SES_Signature.signature", findings)
        timestamp = timestamp_field(data, parts[4], "SES_Signature.timeStamp", findings) if len(parts) == 5 else None
        return SealSignature(
            version=self.version, tbs_version=tbs_version, seal=seal, time_info=time_info,
            time_info_text=f.content(data, tbs[2]).decode("ascii", "replace"), data_hash=data_hash,
            property_info=property_info, signer_certificate=signer, signature_algorithm=algorithm, signature=signature,
            signed_bytes=f.encoding(data, parts[0]), timestamp=timestamp, extensions=extensions, der=data,
            findings=tuple(findings.items),
        )


STANDARD = GBT38540_2020()

__all__ = ["GBT38540_2020", "STANDARD"]
