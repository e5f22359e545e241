"""GM/T 0031-2014 ("v1"): ``SESeal { esealInfo, signInfo }`` and ``SES_Signature { toSign,
signature }`` (declarations: :mod:`certmutual.asn1.gmt0031`).

What is signed (china-specs §4.5, verified on ofdrw's sample):

- the maker's ``signData`` covers ``SEQUENCE { SES_SealInfo, cert, signatureAlgorithm }``: the three
  elements' *original* encodings under a new SEQUENCE header (the standard composes them; no element
  is re-encoded);
- the signature covers the original ``TBS_Sign``, which holds the signer certificate and algorithm.

Tolerated (china-specs §4.8): ``timeInfo`` and ``dataHash`` as OCTET STRING; ``timeInfo`` as a text
time, a UTCTime or GeneralizedTime element, or a timestamp token; header versions other than 1 (real
seals with this layout say 2 or 4).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from certmutual.errors import MalformedInput
from certmutual.results import ReasonCode
from certmutual.seals import fields as f
from certmutual.seals.fields import Element, Findings
from certmutual.seals.model import Seal, SealSignature, SealVersion
from certmutual.seals.sealinfo import parse_seal_info
from certmutual.seals.standard import certificate_octets, check_version, sequence_header


@dataclass(frozen=True)
class GMT0031_2014:
    """GM/T 0031-2014 《安全电子签章密码技术规范》."""

    version: SealVersion = SealVersion.V1
    header_version: int = 1
    maker_grace: bool = False
    seal_timestamp: bool = False

    def parse_seal(self, data: bytes, parts: Sequence[Element], findings: Findings) -> Seal:
        if len(parts) != 2:
            raise MalformedInput(f"a GM/T 0031-2014 SESeal has 2 elements, found {len(parts)}")
        info = parse_seal_info(data, parts[0], findings, v1_layout=True)
        check_version(info.header_version, self, "SES_Header.version", findings)
        sign_info = f.sequence(data, parts[1], "SES_SignInfo")
        if len(sign_info) != 3:
            raise MalformedInput(f"SES_SignInfo has {len(sign_info)} elements, expected 3")
        cert_element, algorithm_element, value_element = sign_info
        maker = certificate_octets(data, cert_element, "SES_SignInfo.cert", findings)
        algorithm = f.oid(data, algorithm_element, "SES_SignInfo.signatureAlgorithm", findings)
        signature = f.bits(data, value_element, "SES_SignInfo.signData", findings)
        covered = f.encoding(data, parts[0]) + f.encoding(data, cert_element) + f.encoding(data, algorithm_element)
        return Seal(
            version=self.version, info=info, maker_certificate=maker, signature_algorithm=algorithm,
            signature=signature, signed_bytes=sequence_header(len(covered)) + covered, der=data,
            findings=tuple(findings.items),
        )

    def parse_signature(self, data: bytes, parts: Sequence[Element], tbs: Sequence[Element], seal: Seal,
                        findings: Findings) -> SealSignature:
        if len(parts) != 2 or len(tbs) != 7:
            raise MalformedInput("a GM/T 0031-2014 SES_Signature is { TBS_Sign (7 elements), signature }")
        tbs_version = f.integer(data, tbs[0], "TBS_Sign.version")
        check_version(tbs_version, self, "TBS_Sign.version", findings)
        time_info, time_text = _time_info(data, tbs[2], findings)
        data_hash = f.bits(data, tbs[3], "TBS_Sign.dataHash", findings)
        property_info = f.text(data, tbs[4], "TBS_Sign.propertyInfo", findings, f.IA5_STRING)
        signer = certificate_octets(data, tbs[5], "TBS_Sign.cert", findings)
        algorithm = f.oid(data, tbs[6], "TBS_Sign.signatureAlgorithm", findings)
        signature = f.bits(data, parts[1], "SES_Signature.signature", findings)
        return SealSignature(
            version=self.version, tbs_version=tbs_version, seal=seal, time_info=time_info, time_info_text=time_text,
            data_hash=data_hash, property_info=property_info, signer_certificate=signer, signature_algorithm=algorithm,
            signature=signature, signed_bytes=f.encoding(data, parts[0]), der=data, findings=tuple(findings.items),
        )


def _time_info(data: bytes, element: Element, findings: Findings) -> tuple[datetime.datetime | None, str]:
    """``timeInfo``: "a timestamp or UTCTIME" in a BIT STRING. Read as a DER time element, or as text
    in one of the forms seal software writes; a timestamp token is kept as text, unread (the 2014 text
    does not say what it would stamp), and the signing time is then unknown."""
    if element[0] in (f.UTC_TIME, f.GENERALIZED_TIME):
        findings.add(ReasonCode.NONSTANDARD_TIME, "TBS_Sign.timeInfo is a time element, not a BIT STRING")
        when = f.time(data, element, "TBS_Sign.timeInfo", findings, f.UTC_TIME)
        return when, f.content(data, element).decode("ascii", "replace")
    value = f.bits(data, element, "TBS_Sign.timeInfo", findings)
    if value[:1] in (b"\x17", b"\x18"):
        try:
            tag, start, end = f.top(value)
            return f.time(value, (tag, 0, start, end), "TBS_Sign.timeInfo", findings, f.UTC_TIME), \
                value[start:end].decode("ascii", "replace")
        except MalformedInput:
            pass
    if value[:1] == b"\x30":
        findings.add(ReasonCode.NONSTANDARD_TIME,
                     f"TBS_Sign.timeInfo holds a {len(value)}-byte token, not read: the signing time is unknown")
        return None, f"<{len(value)}-byte token>"
    text_value = value.decode("utf-8", "replace")
    parsed = f.read_time_text(text_value)
    if parsed is None:
        findings.add(ReasonCode.NONSTANDARD_TIME,
                     f"TBS_Sign.timeInfo {text_value[:40]!r} is not a time: the signing time is unknown")
        return None, text_value
    when, form = parsed
    findings.add(ReasonCode.NONSTANDARD_TIME, f"TBS_Sign.timeInfo is text in a BIT STRING ({form}): {text_value!r}")
    return when, text_value


STANDARD = GMT0031_2014()

__all__ = ["GMT0031_2014", "STANDARD"]
