"""SES_Signature values inside OFD documents: the bridge to the seals layer.

The seal signature itself (GB/T 38540 §7.3 / GM/T 0031 §6.2.3: signature over TBS_Sign, the embedded
seal, signer and seal-maker certificates, dataHash over the signed file) is verified by
:func:`certmutual.seals.verify_seal_signature`; this module calls it with the bytes of the
Signature.xml that the seal signature's dataHash covers (china-specs §4.5: ``dataHash`` is SM3 of the
Signature.xml file as stored), and reads back what an OFD verdict needs.

What the documents layer checks itself, from the original DER (no seal parsing needed): which
format a SignedValue holds, and the embedded SESeal's exact bytes (``TBS_Sign.eseal``, the second
element of TBS_Sign in every version), which a Seal.esl copy beside the signature must equal.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from certmutual.asn1 import der
from certmutual.seals.protocol import CertificateVerifier
from certmutual.documents.results import SignedValueFormat
from certmutual.errors import MalformedInput
from certmutual.identity.model import Identity
from certmutual.results import ChainLink, Reason, ReasonCode


def signed_value_format(data: bytes) -> SignedValueFormat:
    """Tell a ContentInfo, an SES_Signature and a bare ``SEQUENCE {r, s}`` apart by their first
    elements (without parsing the rest)."""
    try:
        tag, start, end = der.read_header(data, 0)
        if tag != 0x30:
            return SignedValueFormat.UNKNOWN
        first_tag, _, first_end = der.read_header(data, start, end)
        if first_tag == 0x06:
            return SignedValueFormat.CMS
        if first_tag == 0x30:
            return SignedValueFormat.SES_SIGNATURE
        if first_tag == 0x02 and first_end < end:
            second_tag, _, second_end = der.read_header(data, first_end, end)
            if second_tag == 0x02 and second_end == end:
                return SignedValueFormat.RAW_SIGNATURE
    except MalformedInput:
        pass
    return SignedValueFormat.UNKNOWN


def embedded_seal(data: bytes) -> bytes:
    """The original bytes of ``SES_Signature.toSign.eseal`` (v1, v4 and v5 alike: TBS_Sign is
    ``SEQUENCE { version INTEGER, eseal SESeal, ... }``). Raises :class:`MalformedInput`."""
    tag, start, end = der.read_header(data, 0)
    if tag != 0x30:
        raise MalformedInput("SES_Signature is not a SEQUENCE")
    tag, tbs_start, tbs_end = der.read_header(data, start, end)
    if tag != 0x30:
        raise MalformedInput("TBS_Sign is not a SEQUENCE")
    tag, _, version_end = der.read_header(data, tbs_start, tbs_end)
    if tag != 0x02:
        raise MalformedInput("TBS_Sign does not start with its version")
    seal_start = version_end
    tag, _, seal_end = der.read_header(data, seal_start, tbs_end)
    if tag == 0x04:  # some producers wrap the seal in an OCTET STRING (china-specs §4.8)
        _, inner_start, inner_end = der.read_header(data, seal_start, tbs_end)
        return data[inner_start:inner_end]
    if tag != 0x30:
        raise MalformedInput("TBS_Sign.eseal is not a SEQUENCE")
    return data[seal_start:seal_end]


@dataclass(frozen=True, slots=True)
class SealSignatureCheck:
    """What the OFD verdict takes from the seals layer's result."""

    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...] = ()
    intact: bool = False
    signer: ChainLink | None = None
    identity: Identity | None = None
    seal: dict[str, Any] | None = None
    detail: dict[str, Any] | None = None


def _seals_entry_point() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("certmutual.seals")
    except ImportError:
        return None
    function = getattr(module, "verify_seal_signature", None)
    return function if callable(function) else None


def check_seal_signature(
    signed_value: bytes, signed_file: bytes, verifier: CertificateVerifier, at: datetime.datetime | None
) -> SealSignatureCheck:
    """Verify an SES_Signature over ``signed_file`` (the Signature.xml bytes) through the seals layer."""
    verify = _seals_entry_point()
    if verify is None:
        return SealSignatureCheck((Reason(ReasonCode.UNSUPPORTED_FORMAT, "this build of certmutual has no SES_Signature "
                                          "verifier (certmutual.seals.verify_seal_signature)"),))
    result = verify(signed_value, verifier, signed_data=signed_file, at=at)
    return _read_result(result)


def _read_result(result: Any) -> SealSignatureCheck:
    """From a :class:`certmutual.seals.SealSignatureResult`: its reasons (unless it is accepted),
    warnings, intactness, signer, identity; the embedded seal's verdict and facts as ``seal``, the
    signature's own verdict and facts as ``detail``."""
    reasons = tuple(result.reasons)
    detail: dict[str, Any] = result.to_dict()
    detail.pop("seal", None)
    seal: Any = result.seal
    return SealSignatureCheck(
        () if result.accepted else reasons,
        tuple(result.warnings),
        intact=bool(result.intact),
        signer=result.signer if isinstance(result.signer, ChainLink) else None,
        identity=result.identity if isinstance(result.identity, Identity) else None,
        seal=seal.to_dict() if seal is not None else None,
        detail=detail,
    )
