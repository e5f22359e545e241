"""``certmutual ofd verify``, ``certmutual pdf verify`` and ``certmutual verify-cms``: signed documents.

Exit codes as for ``certmutual verify``: 0 every signature accepted, 1 any rejected (or none found,
or the package refused), 2 unreadable input: a file that cannot be read, or bytes that are not an
OFD package / a PDF / a CMS structure at all (one line on stderr).
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from certmutual.cli.certificates import signature_bytes
from certmutual.cli.common import (
    EXIT_ACCEPTED, EXIT_REJECTED, InputError, add_trust_options, add_vendors_option, parse_time, print_result,
    read_trust_options, vendors,
)
from certmutual.documents.cms import verify_cms
from certmutual.documents.ofd import verify_ofd
from certmutual.documents.pdf import Modification, PdfResult, PdfSignatureResult, verify_pdf
from certmutual.documents.results import CmsResult, OfdResult, OfdSignatureResult, SignerResult
from certmutual.pki.loading import read_bytes
from certmutual.results import Reason, ReasonCode, VerificationResult
from certmutual.verifier import Verifier


def _verifier(args: argparse.Namespace) -> Verifier | VerificationResult:
    """The Verifier the options describe, or the trust-list verdict when the list itself fails."""
    trust = read_trust_options(args)
    if isinstance(trust, VerificationResult):
        return trust
    return Verifier(trust.anchors, intermediates=trust.intermediates, vendors=vendors(args), trust_list=trust.trust_list)


def _unreadable(reasons: tuple[Reason, ...], found_anything: bool, what: str) -> None:
    """Bytes that are not the kind of file at all are an input error (exit 2), as in ``verify``."""
    if not found_anything and reasons and all(reason.code is ReasonCode.MALFORMED for reason in reasons):
        where = f" ({reasons[0].concerns})" if reasons[0].concerns else ""
        raise InputError(f"{reasons[0].message}{where}")


class _DocumentResult(Protocol):
    @property
    def reasons(self) -> tuple[Reason, ...]: ...

    @property
    def signatures(self) -> Sequence[object]: ...

    @property
    def accepted(self) -> bool: ...

    def to_dict(self) -> dict[str, Any]: ...


_Result = TypeVar("_Result", bound=_DocumentResult)


def _verify_document(args: argparse.Namespace, what: str, verify: Callable[[bytes, Verifier, datetime.datetime | None], _Result],
                     show: Callable[[_Result], None]) -> int:
    """Read FILE, verify it as ``what`` under the trust options, print (text or JSON), exit code."""
    data = read_bytes(args.file)
    verifier = _verifier(args)
    if isinstance(verifier, VerificationResult):
        return print_result(verifier, args.json)
    result = verify(data, verifier, parse_time(args.at))
    _unreadable(result.reasons, bool(result.signatures), what)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        show(result)
    return EXIT_ACCEPTED if result.accepted else EXIT_REJECTED


def cmd_ofd_verify(args: argparse.Namespace) -> int:
    return _verify_document(args, "an OFD document", lambda data, verifier, at: verify_ofd(data, verifier, at=at), _print_ofd)


def cmd_pdf_verify(args: argparse.Namespace) -> int:
    for library in ("pyhanko", "pyhanko_certvalidator"):  # their log lines would break the one-stream contract;
        logging.getLogger(library).addHandler(logging.NullHandler())  # what they find is in the reasons
    return _verify_document(args, "a PDF document", lambda data, verifier, at: verify_pdf(data, verifier, at=at), _print_pdf)


def cmd_verify_cms(args: argparse.Namespace) -> int:
    signature = signature_bytes(read_bytes(args.signature))
    content = read_bytes(args.data) if args.data else None
    verifier = _verifier(args)
    if isinstance(verifier, VerificationResult):
        return print_result(verifier, args.json)
    result = verify_cms(signature, verifier, content=content, at=parse_time(args.at))
    _unreadable(result.reasons, bool(result.signers or result.certificates), "a CMS/PKCS#7 SignedData")
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_cms(result)
    return EXIT_ACCEPTED if result.accepted else EXIT_REJECTED


def _verdict(accepted: bool, status: str) -> str:
    return "ACCEPTED" if accepted else f"REJECTED ({status})"


def _print_reasons(reasons: tuple[Reason, ...], warnings: tuple[Reason, ...], indent: str) -> None:
    for reason in reasons:
        if reason.code is not ReasonCode.OK:
            where = f" [{reason.concerns}]" if reason.concerns else ""
            print(f"{indent}{reason.code.value}: {reason.message}{where}")
    for warning in warnings:
        print(f"{indent}warning {warning.code.value}: {warning.message}")


def _print_signer(signer: SignerResult | OfdSignatureResult | PdfSignatureResult, indent: str) -> None:
    if signer.signer is not None:
        print(f"{indent}signer: {signer.signer.subject}  (issuer {signer.signer.issuer}, serial {signer.signer.serial})")
    identity = signer.identity
    if identity is not None and identity.found:
        number = identity.credit_code or identity.id_number or identity.organization_code or ""
        print(f"{indent}entity: {identity.name or '?'} {number}".rstrip())


def _print_ofd(result: OfdResult) -> None:
    print(_verdict(result.accepted, result.status.value))
    if not result.signatures:
        _print_reasons(result.reasons, (), "  ")
    for signature in result.signatures:
        kind = f"{signature.type}, {signature.format.value}" if signature.format else signature.type
        print(f"  signature {signature.path} ({kind}): {_verdict(signature.accepted, signature.status.value)}")
        seal: dict[str, Any] = (signature.seal or {}).get("seal") or {}
        if seal.get("name"):
            print(f"    seal: {seal['name']}" + (f" ({seal['es_id']})" if seal.get("es_id") else ""))
        _print_signer(signature, "    ")
        for stamp in signature.stamps:
            print(f"    stamp on page {stamp.page_index if stamp.page_index is not None else '?'} at {stamp.boundary}")
        if signature.protects_signature_list:
            print("    protects Signatures.xml: no further signature can be added")
        if not signature.accepted:
            _print_reasons(signature.reasons, signature.warnings, "    ")


def _print_pdf(result: PdfResult) -> None:
    print(_verdict(result.accepted, result.status.value))
    if not result.signatures:
        _print_reasons(result.reasons, result.warnings, "  ")
    for signature in result.signatures:
        where = ", ".join(part for part in (signature.kind.value, f"revision {signature.revision}" if signature.revision is not None
                                            else "", signature.coverage.value if signature.coverage else "") if part)
        print(f"  signature {signature.field} ({where}): {_verdict(signature.accepted, signature.status.value)}")
        _print_signer(signature, "    ")
        if signature.signing_time is not None:
            print(f"    signed at {signature.signing_time.isoformat()} (claimed)")
        stamp = signature.timestamp
        if stamp is not None and stamp.time is not None:
            print(f"    time-stamped at {stamp.time.isoformat()} ({'proven' if stamp.proven else 'not proven'})")
        if signature.modification not in (None, Modification.NONE):
            print(f"    changed after signing: {signature.modification.value}"
                  + (f" (fields {', '.join(signature.changed_fields)})" if signature.changed_fields else ""))
        if not signature.accepted:
            _print_reasons(signature.verdict.reasons, signature.verdict.warnings, "    ")


def _print_cms(result: CmsResult) -> None:
    print(_verdict(result.accepted, result.status.value))
    if not result.signers:
        _print_reasons(result.reasons, (), "  ")
    for signer in result.signers:
        print(f"  signer {signer.index}: {_verdict(signer.accepted, signer.status.value)}"
              + (f", signed at {signer.signing_time.isoformat()} (claimed)" if signer.signing_time else ""))
        _print_signer(signer, "    ")
        if not signer.accepted:
            _print_reasons(signer.reasons, signer.warnings, "    ")


def _verify_options(parser: argparse.ArgumentParser) -> None:
    add_trust_options(parser)
    parser.add_argument("--at", metavar="ISO8601", help="validation time for signer certificates (default: now)")
    parser.add_argument("--json", action="store_true", help="print every signature, its seal, signer identity and reasons as JSON")
    add_vendors_option(parser)


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    families = (("ofd", "OFD documents (GB/T 33190)", "verify every signature and seal in an OFD document", cmd_ofd_verify),
                ("pdf", "PDF documents (ISO 32000 signatures, PAdES)",
                 "verify every signature and document time-stamp in a PDF", cmd_pdf_verify))
    for name, title, purpose, handler in families:
        family = commands.add_parser(name, help=title)
        verify = family.add_subparsers(dest=f"{name}_command", required=True).add_parser("verify", help=purpose)
        verify.add_argument("file", metavar="FILE")
        _verify_options(verify)
        verify.set_defaults(handler=handler)

    cms = commands.add_parser("verify-cms", help="verify a CMS / PKCS#7 SignedData (GM/T 0010 or RFC 5652)")
    cms.add_argument("signature", metavar="SIG", help="DER, PEM, base64 or hex")
    cms.add_argument("--data", metavar="FILE", help="the signed data of a detached signature")
    _verify_options(cms)
    cms.set_defaults(handler=cmd_verify_cms)
