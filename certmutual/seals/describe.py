"""What a seal or seal signature says, as plain data, without verifying anything (``certmutual seal
inspect``). Certificates are named by subject, issuer, serial and SHA-256; binary values by length and
hex digest; tolerated deviations from the standard are listed as ``findings``."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from certmutual.errors import MalformedInput
from certmutual.pki.certificate import Certificate
from certmutual.seals.model import ExtData, Seal, SealSignature


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def describe_certificate(encoded: bytes) -> dict[str, Any]:
    try:
        return Certificate(encoded).chain_link(None).to_dict()
    except MalformedInput as exc:
        return {"unreadable": str(exc), "size": len(encoded), "sha256": hashlib.sha256(encoded).hexdigest()}


def _extension(ext: ExtData) -> dict[str, Any]:
    return {"oid": ext.oid, "critical": ext.critical, "size": len(ext.value)}


def describe_seal(seal: Seal) -> dict[str, Any]:
    info = seal.info
    picture = info.picture
    return {
        "kind": "seal",
        "version": seal.version.value,
        "standard": seal.version.standard,
        "header": {"ID": info.header_id, "version": info.header_version, "Vid": info.vendor_id},
        "es_id": info.es_id,
        "name": info.name,
        "type": info.seal_type,
        "cert_list_type": info.cert_list_type,
        "create_date": _iso(info.create_date),
        "valid_start": _iso(info.valid_start),
        "valid_end": _iso(info.valid_end),
        "picture": {"type": picture.type, "format": picture.format.value, "width_mm": picture.width_mm,
                    "height_mm": picture.height_mm, "size": len(picture.data),
                    "sha256": hashlib.sha256(picture.data).hexdigest()},
        "maker": describe_certificate(seal.maker_certificate),
        "signature_algorithm": seal.signature_algorithm,
        "signers": [describe_certificate(c) for c in info.certificates],
        "signer_digests": [{"type": d.type, "value": d.value.hex()} for d in info.digests],
        "signer_identifiers": list(info.identifiers),
        "extensions": [_extension(e) for e in info.extensions],
        "timestamp": None if seal.timestamp is None else {"size": len(seal.timestamp)},
        "findings": [reason.to_dict() for reason in seal.findings],
    }


def describe_signature(signature: SealSignature) -> dict[str, Any]:
    return {
        "kind": "seal_signature",
        "version": signature.version.value,
        "standard": signature.version.standard,
        "tbs_version": signature.tbs_version,
        "time_info": signature.time_info_text,
        "signing_time_claimed": _iso(signature.time_info),
        "data_hash": signature.data_hash.hex(),
        "property_info": signature.property_info,
        "signer": describe_certificate(signature.signer_certificate),
        "signature_algorithm": signature.signature_algorithm,
        "timestamp": None if signature.timestamp is None else {"size": len(signature.timestamp)},
        "extensions": [_extension(e) for e in signature.extensions],
        "findings": [reason.to_dict() for reason in signature.findings],
        "seal": describe_seal(signature.seal),
    }


def describe(value: Seal | SealSignature) -> dict[str, Any]:
    return describe_seal(value) if isinstance(value, Seal) else describe_signature(value)


__all__ = ["describe", "describe_certificate", "describe_seal", "describe_signature"]
