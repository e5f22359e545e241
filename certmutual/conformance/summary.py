"""Describing each judged object for the report: a title, a few facts, its chain, a seal's picture."""

from __future__ import annotations

from certmutual.conformance.model import ObjectSummary, Picture
from certmutual.conformance.subjects import Sample, Subject
from certmutual.crypto import registry
from certmutual.errors import UnsupportedAlgorithm
from certmutual.pki.certificate import describe_name_der


def algorithm_name(oid: str) -> str:
    try:
        return f"{registry.lookup(oid).name} ({oid})"
    except UnsupportedAlgorithm:
        return oid


def summarise(subject: Subject, sample: Sample) -> ObjectSummary:
    """The report's description of ``subject``; never raises for a parsed object."""
    if subject.certificate is not None:
        cert = subject.certificate
        chain = tuple(link.subject_text for link in sample.chain_of(cert))
        details: tuple[tuple[str, str], ...] = (("issuer", cert.issuer_text), ("serial", cert.serial_hex),
                   ("validity", f"{cert.not_before.isoformat()} to {cert.not_after.isoformat()}"),
                   ("signature", algorithm_name(cert.signature_algorithm)), ("sha256", cert.sha256))
        return ObjectSummary(subject.label, subject.kind, cert.subject_text, details, chain)
    if subject.crl is not None:
        crl = subject.crl
        next_update = crl.next_update.isoformat() if crl.next_update else "(none)"
        details = (("thisUpdate", crl.this_update.isoformat()), ("nextUpdate", next_update),
                   ("cRLNumber", str(crl.crl_number)), ("entries", str(len(crl.revoked))),
                   ("signature", algorithm_name(crl.signature_algorithm)))
        return ObjectSummary(subject.label, subject.kind, f"CRL of {crl.issuer_text}", details)
    if subject.ocsp is not None:
        response = subject.ocsp
        basic = response.basic
        if basic is None:
            return ObjectSummary(subject.label, subject.kind, f"OCSP response ({response.status.value})")
        responder = (describe_name_der(basic.responder_id.name_der) if basic.responder_id.name_der is not None
                     else f"key {(basic.responder_id.key_hash or b'').hex()}")
        details = (("status", response.status.value), ("producedAt", basic.produced_at.isoformat()),
                   ("responses", str(len(basic.responses))), ("signature", algorithm_name(basic.signature_algorithm)))
        return ObjectSummary(subject.label, subject.kind, f"OCSP response by {responder}", details)
    if subject.seal is not None:
        seal = subject.seal
        info = seal.info
        picture = info.picture
        details = (("standard", seal.version.standard), ("esID", info.es_id), ("vendor", info.vendor_id),
                   ("header", f"{info.header_id} v{info.header_version}"),
                   ("valid", f"{_iso(info.valid_start)} to {_iso(info.valid_end)}"),
                   ("picture", f"{picture.type} ({picture.format.value}, {len(picture.data)} bytes, "
                               f"{picture.width_mm}×{picture.height_mm} mm)"),
                   ("signature", algorithm_name(seal.signature_algorithm)))
        shown = Picture(picture.format.value, picture.type, picture.data, picture.width_mm, picture.height_mm)
        return ObjectSummary(subject.label, subject.kind, f"seal {info.name}", details, picture=shown)
    signature = subject.the_signature()
    details = (("standard", signature.version.standard), ("timeInfo", signature.time_info_text),
               ("propertyInfo", signature.property_info), ("seal", signature.seal.info.name),
               ("signature", algorithm_name(signature.signature_algorithm)))
    return ObjectSummary(subject.label, subject.kind, f"seal signature with {signature.seal.info.name}", details)


def _iso(value: object) -> str:
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat()) if callable(isoformat) else "(none)"


__all__ = ["algorithm_name", "summarise"]
