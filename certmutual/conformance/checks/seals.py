"""Electronic seals (SESeal) and seal signatures (SES_Signature).

Sources: GB/T 38540-2020 §6 (SES_Header: ID "ES", version 4; SES_ESPictureInfo: type, data, width and
height in mm; the maker's signature over SES_SealInfo; certListType and certList), §6.3 (verifying a
seal), §7.3 (verifying a seal signature: the signer certificate is one the seal lists); GM/T 0031-2014
§6.2.3 for v1-layout seals and GM/T 0031-2025 for v5 (china-specs §4). The profile adds the picture's
size limits and requires the seal's validity window inside the maker certificate's.
"""

from __future__ import annotations

from certmutual.conformance.model import AppliesTo
from certmutual.conformance.profile import Params
from certmutual.conformance.registry import check
from certmutual.conformance.subjects import Sample, Subject
from certmutual.crypto import registry
from certmutual.errors import InvalidSignature, MalformedInput, UnsupportedAlgorithm
from certmutual.pki.certificate import Certificate
from certmutual.seals.model import PictureFormat, Seal, SealVersion
from certmutual.crypto.digests import digest
from certmutual.seals.timestamp import DIGESTS
from certmutual.seals.verify import sm2_signature_value

_HEADER_VERSIONS = {SealVersion.V1: (1, 2), SealVersion.V4: (4,), SealVersion.V5: (5,)}
"""The SES_Header.version each layout states (ofdrw writes 1 in v1 seals; the 2014 text's "v2" naming)."""
_DECLARED_FORMATS = {
    "PNG": PictureFormat.PNG, "JPG": PictureFormat.JPEG, "JPEG": PictureFormat.JPEG, "GIF": PictureFormat.GIF,
    "BMP": PictureFormat.BMP, "SVG": PictureFormat.SVG, "OFD": PictureFormat.OFD,
}
_DIGEST_NAMES = {"SM3": "sm3", "SHA1": "sha1", "SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512",
                 **DIGESTS}


def verify(cert_der: bytes, algorithm: str, signature: bytes, signed: bytes, what: str) -> list[str]:
    """Findings of verifying ``signature`` over ``signed`` with the certificate in ``cert_der`` (empty: it verifies)."""
    try:
        cert = Certificate(cert_der)
    except MalformedInput as exc:
        return [f"the {what} certificate does not read: {exc}"]
    value, _ = sm2_signature_value(algorithm, signature)  # lenient about the value's INTEGER form
    try:
        registry.verify_signature(cert.public_key, algorithm, None, value, signed, allow_weak=True)
    except InvalidSignature as exc:
        return [f"the {what}'s signature does not verify with its certificate ({cert.subject_text}): {exc}"]
    except (UnsupportedAlgorithm, MalformedInput) as exc:
        return [f"the {what}'s signature cannot be verified: {exc}"]
    return []


@check("gbt38540.header_id", AppliesTo.SEAL)
def header_id(subject: Subject, sample: Sample, params: Params) -> list[str]:
    header = subject.the_seal().info.header_id
    return [] if header == "ES" else [f"SES_Header.ID is {header!r}, not \"ES\""]


@check("gbt38540.header_version", AppliesTo.SEAL)
def header_version(subject: Subject, sample: Sample, params: Params) -> list[str]:
    seal = subject.the_seal()
    expected = _HEADER_VERSIONS[seal.version]
    if seal.info.header_version in expected:
        return []
    return [f"SES_Header.version is {seal.info.header_version} in a seal of the {seal.version.standard} layout "
            f"(expected {' or '.join(map(str, expected))})"]


@check("gbt38540.picture_type", AppliesTo.SEAL)
def picture_type(subject: Subject, sample: Sample, params: Params) -> list[str]:
    picture = subject.the_seal().info.picture
    declared = picture.type.strip().upper()
    allowed = [item.upper() for item in params.strings("seal_picture_types")]
    if declared not in allowed:
        return [f"picture type {picture.type!r} is not one of {', '.join(allowed)}"]
    if picture.format is PictureFormat.UNKNOWN:
        return [f"the picture data ({len(picture.data)} bytes) is in no known picture format"]
    expected = _DECLARED_FORMATS.get(declared)
    if expected is not None and expected is not picture.format:
        return [f"picture type says {picture.type!r} but the data is {picture.format.value}"]
    return []


@check("profile.picture_size", AppliesTo.SEAL)
def picture_size(subject: Subject, sample: Sample, params: Params) -> list[str]:
    picture = subject.the_seal().info.picture
    low, high = params.integer("min_picture_mm"), params.integer("max_picture_mm")
    found = []
    for what, value in (("width", picture.width_mm), ("height", picture.height_mm)):
        if not low <= value <= high:
            found.append(f"picture {what} is {value} mm: the profile allows {low} to {high} mm")
    limit = params.integer("max_picture_bytes")
    if not picture.data:
        found.append("the picture is empty")
    elif len(picture.data) > limit:
        found.append(f"the picture is {len(picture.data)} bytes: the profile allows {limit}")
    return found


@check("gbt38540.validity_in_maker", AppliesTo.SEAL)
def validity_in_maker(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    seal = subject.the_seal()
    info = seal.info
    if info.valid_start is None or info.valid_end is None:
        return ["the seal's validStart or validEnd does not read"]
    if info.valid_end <= info.valid_start:
        return [f"validEnd {info.valid_end.isoformat()} is not after validStart {info.valid_start.isoformat()}"]
    try:
        maker = Certificate(seal.maker_certificate)
    except MalformedInput:
        return None  # gbt38540.maker_signature reports an unreadable maker certificate
    found = []
    if info.valid_start < maker.not_before:
        found.append(f"the seal is valid from {info.valid_start.isoformat()}, before its maker certificate "
                     f"({maker.not_before.isoformat()})")
    if info.valid_end > maker.not_after:
        found.append(f"the seal is valid until {info.valid_end.isoformat()}, after its maker certificate expires "
                     f"({maker.not_after.isoformat()})")
    return found


@check("gbt38540.maker_signature", AppliesTo.SEAL)
def maker_signature(subject: Subject, sample: Sample, params: Params) -> list[str]:
    seal: Seal = subject.the_seal()
    return verify(seal.maker_certificate, seal.signature_algorithm, seal.signature, seal.signed_bytes, "seal maker")


@check("gbt38540.signature_value", AppliesTo.SEAL_SIGNATURE)
def signature_value(subject: Subject, sample: Sample, params: Params) -> list[str]:
    signature = subject.the_signature()
    return verify(signature.signer_certificate, signature.signature_algorithm, signature.signature,
                  signature.signed_bytes, "seal signature")


@check("gbt38540.signer_in_cert_list", AppliesTo.SEAL_SIGNATURE)
def signer_in_cert_list(subject: Subject, sample: Sample, params: Params) -> list[str]:
    signature = subject.the_signature()
    info = signature.seal.info
    signer = signature.signer_certificate
    if any(listed == signer for listed in info.certificates):
        return []
    for listed in info.digests:
        name = _DIGEST_NAMES.get(listed.type.strip().upper().replace("-", "")) or _DIGEST_NAMES.get(listed.type.strip())
        names = (name,) if name else ("sm3", "sha256") if len(listed.value) == 32 else ()
        if any(digest(candidate, signer) == listed.value for candidate in names):
            return []
    listed_count = len(info.certificates) + len(info.digests)
    if listed_count:
        return [f"the signer certificate is none of the {listed_count} certificate(s) or digest(s) the seal lists"]
    return ["the seal lists no signer certificate"]
