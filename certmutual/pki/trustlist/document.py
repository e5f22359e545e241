"""The signed trust-list document: canonical JSON, a detached signature, a pinned authority.

Format (``specs/trust-list.md``)::

    {"format": "certmutual-trust-list/1",
     "trust_list": {...},
     "signature": {"algorithm": "<OID>", "signer_certificate": "<base64 DER>", "value": "<base64>"}}

The signature is over :func:`canonical_bytes` of ``trust_list``: UTF-8 JSON with keys sorted, no
insignificant whitespace and non-ASCII kept as is, which is RFC 8785 (JCS) for documents, like these,
whose only numbers are integers. A detached signature over a canonical encoding was chosen over CMS
SignedData so that the list stays a readable JSON file any tool can diff, and so that signing needs
nothing beyond the signature primitives (SM2 by default; RSA and ECDSA allowed).
The signer is accepted when it is one of the authority certificates the verifier pins, or a
certificate an authority certificate signed that is valid at the list's issue time.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from certmutual.crypto import registry
from certmutual.errors import CertmutualError, InvalidSignature, MalformedInput, UnsupportedAlgorithm
from certmutual.pki.builder import SigningKey
from certmutual.pki.certificate import Certificate
from certmutual.pki.policy import Policy
from certmutual.pki.signatures import check_signed_by
from certmutual.pki.fetch import RevocationMode, RevocationOrder
from certmutual.pki.trustlist.model import (
    RevocationPolicy, Service, StatusPeriod, TrustList, VendorEntry, VendorStatus,
)
from certmutual.results import ReasonCode

FORMAT = "certmutual-trust-list/1"
SCHEMA_PATH = Path(__file__).with_name("trust_list.schema.json")
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
"""A province lists tens of vendors with a few certificates each: megabytes at most."""


class TrustListError(CertmutualError):
    """A trust list that cannot be relied on, with the reason code saying why."""

    def __init__(self, code: ReasonCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def canonical_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes the signature covers."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def to_payload(trust_list: TrustList) -> dict[str, Any]:
    """The ``trust_list`` JSON object of a :class:`TrustList` (certificates as base64 DER)."""
    return {
        "sequence_number": trust_list.sequence_number, "issued_at": _time_text(trust_list.issued_at),
        "next_update": _time_text(trust_list.next_update), "authority": trust_list.authority,
        "revocation": {"order": trust_list.revocation.order.value, "mode": trust_list.revocation.mode.value,
                       "timeout_seconds": int(trust_list.revocation.timeout_seconds)},
        "vendors": [{
            "id": vendor.id, "name": vendor.name, "services": sorted(service.value for service in vendor.services),
            "roots": [_b64(c.der) for c in vendor.roots], "intermediates": [_b64(c.der) for c in vendor.intermediates],
            "crl_urls": list(vendor.crl_urls), "ocsp_urls": list(vendor.ocsp_urls),
            "status_history": [{"status": p.status.value, "since": _time_text(p.since), **({"note": p.note} if p.note else {})}
                               for p in vendor.history],
        } for vendor in trust_list.vendors],
    }


def unsigned_document(trust_list: TrustList) -> bytes:
    """The document ``certmutual trustlist build`` writes: the list, not yet signed."""
    return _dump({"format": FORMAT, "trust_list": to_payload(trust_list)})


def sign_trust_list(document: bytes, key: SigningKey, signer: Certificate) -> bytes:
    """Sign an (unsigned or signed) document's list with ``key``, whose certificate is ``signer``."""
    data = _parse_json(document)
    _validate_schema(data)
    if signer.spki != key.spki:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, "the signer certificate is not the signing key's certificate")
    payload = data["trust_list"]
    signature = {"algorithm": key.signature_algorithm, "signer_certificate": _b64(signer.der),
                 "value": _b64(key.sign(canonical_bytes(payload)))}
    return _dump({"format": FORMAT, "trust_list": payload, "signature": signature})


def verify_trust_list(document: bytes, authorities: Sequence[Certificate], *, policy: Policy | None = None) -> TrustList:
    """The list in a signed document, after checking its schema, its signature and its signer.

    Does not check freshness: the caller compares :attr:`TrustList.next_update` with its clock.
    Raises :class:`TrustListError` (``trust_list_invalid``).
    """
    data = _parse_json(document)
    _validate_schema(data)
    signature = data.get("signature")
    if signature is None:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, "the trust list is not signed")
    try:
        signer = Certificate(_unb64(signature["signer_certificate"]))
        registry.verify_signature(signer.public_key, signature["algorithm"], None, _unb64(signature["value"]),
                                  canonical_bytes(data["trust_list"]), sm2_user_id=(policy or Policy()).sm2_user_id)
    except InvalidSignature as exc:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, f"the trust list's signature does not verify: {exc}") from exc
    except (MalformedInput, UnsupportedAlgorithm) as exc:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, f"the trust list's signature cannot be checked: {exc}") from exc
    # Only authenticated content is interpreted: the payload is read after its signature verified.
    trust_list = _from_payload(data["trust_list"])
    _check_signer(signer, authorities, trust_list.issued_at, policy or Policy())
    return trust_list


def load_trust_list(document: bytes) -> TrustList:
    """The list in a document, signed or not, WITHOUT checking any signature: for building and
    showing lists. Anything relying on a list uses :func:`verify_trust_list`."""
    data = _parse_json(document)
    _validate_schema(data)
    return _from_payload(data["trust_list"])


def _check_signer(signer: Certificate, authorities: Sequence[Certificate], issued_at: datetime.datetime, policy: Policy) -> None:
    if not authorities:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, "no trust-list authority certificate is configured")
    if any(signer.der == authority.der for authority in authorities):
        return
    if not signer.not_before <= issued_at <= signer.not_after:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID,
                             f"the signer certificate {signer.subject_text} was not valid when the list was issued")
    for authority in authorities:
        if signer.issued_by_name(authority) and check_signed_by(
                signer, authority, sm2_user_id=policy.sm2_user_id, allow_weak=False, cache=None,
                what=signer.subject_text) is None:
            return
    raise TrustListError(ReasonCode.TRUST_LIST_INVALID,
                         f"the trust list is signed by {signer.subject_text}, not by the province authority")


def _from_payload(payload: dict[str, Any]) -> TrustList:
    vendors = []
    seen: set[str] = set()
    for raw in payload["vendors"]:
        if raw["id"] in seen:
            raise TrustListError(ReasonCode.TRUST_LIST_INVALID, f"vendor {raw['id']!r} is listed twice")
        seen.add(raw["id"])
        history = tuple(StatusPeriod(VendorStatus(p["status"]), _parse_time(p["since"]), p.get("note")) for p in raw["status_history"])
        if any(later.since <= earlier.since for earlier, later in zip(history, history[1:])):
            raise TrustListError(ReasonCode.TRUST_LIST_INVALID, f"vendor {raw['id']!r}: status history is not in time order")
        vendors.append(VendorEntry(
            id=raw["id"], name=raw["name"], services=frozenset(Service(s) for s in raw["services"]),
            roots=tuple(_certificate(raw["id"], text) for text in raw["roots"]),
            intermediates=tuple(_certificate(raw["id"], text) for text in raw.get("intermediates", [])),
            history=history, crl_urls=tuple(raw.get("crl_urls", [])), ocsp_urls=tuple(raw.get("ocsp_urls", [])),
        ))
    revocation = payload["revocation"]
    issued_at, next_update = _parse_time(payload["issued_at"]), _parse_time(payload["next_update"])
    if next_update <= issued_at:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, "next_update is not after issued_at")
    return TrustList(
        sequence_number=payload["sequence_number"], issued_at=issued_at, next_update=next_update,
        authority=payload["authority"], vendors=tuple(vendors),
        revocation=RevocationPolicy(RevocationOrder(revocation["order"]), RevocationMode(revocation["mode"]),
                                    float(revocation["timeout_seconds"])),
    )


@cache
def _validator() -> Any:
    """The schema's validator (jsonschema ships no type information: Any)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_schema(data: Any) -> None:
    errors = sorted(_validator().iter_errors(data), key=lambda error: list(error.absolute_path))
    if errors:
        where = "/".join(str(part) for part in errors[0].absolute_path) or "(top level)"
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, f"trust list does not match its schema at {where}: {errors[0].message}")


def _parse_json(document: bytes) -> Any:
    if len(document) > MAX_DOCUMENT_BYTES:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, f"trust list of {len(document)} bytes (at most {MAX_DOCUMENT_BYTES})")
    try:
        return json.loads(document.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, f"trust list is not UTF-8 JSON: {exc}") from exc


def _certificate(vendor_id: str, text: str) -> Certificate:
    try:
        return Certificate(_unb64(text))
    except MalformedInput as exc:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, f"vendor {vendor_id!r}: unreadable certificate: {exc}") from exc


def _dump(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedInput(f"bad base64: {exc}") from exc


def _parse_time(text: str) -> datetime.datetime:
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError as exc:
        raise TrustListError(ReasonCode.TRUST_LIST_INVALID, f"bad time {text!r}: {exc}") from exc


def _time_text(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
