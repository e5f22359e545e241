"""Electronic seals (电子印章, ``SESeal``) and seal signatures (电子签章, ``SES_Signature``):
GM/T 0031-2014 ("v1"), GB/T 38540-2020 ("v4") and GM/T 0031-2025 ("v5").

The version of a structure is read from its layout, never from its header's number. Signatures are
verified over the original bytes the standard names; certificates are judged by the caller's
:class:`certmutual.Verifier` (passed in: this layer builds no trust of its own). Deviations real seals
have (china-specs §4.8) are tolerated and reported as warnings.

    from certmutual import Verifier
    from certmutual.seals import verify_seal_signature

    result = verify_seal_signature(signed_value, verifier, signed_data=signature_xml)
    result.accepted, result.codes, result.to_dict()
"""

from certmutual.seals.model import (
    CertDigest, CertListType, ExtData, PictureFormat, Seal, SealInfo, SealPicture, SealSignature, SealVersion,
    TimeSource,
)
from certmutual.seals.parse import UnsupportedSealFormat, parse, parse_seal, parse_seal_signature
from certmutual.seals.picture import PictureExport, detect_format, export_picture
from certmutual.seals.protocol import CertificateVerifier
from certmutual.seals.results import PictureFacts, SealResult, SealSignatureResult, TimestampResult
from certmutual.seals.timestamp import verify_timestamp
from certmutual.seals.verify import check_seal, check_seal_signature, verify_seal, verify_seal_signature

__all__ = [
    "CertDigest",
    "CertListType",
    "CertificateVerifier",
    "ExtData",
    "PictureExport",
    "PictureFacts",
    "PictureFormat",
    "Seal",
    "SealInfo",
    "SealPicture",
    "SealResult",
    "SealSignature",
    "SealSignatureResult",
    "SealVersion",
    "TimeSource",
    "TimestampResult",
    "UnsupportedSealFormat",
    "check_seal",
    "check_seal_signature",
    "detect_format",
    "export_picture",
    "parse",
    "parse_seal",
    "parse_seal_signature",
    "verify_seal",
    "verify_seal_signature",
    "verify_timestamp",
]
