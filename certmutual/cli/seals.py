"""``certmutual seal inspect`` and ``certmutual seal verify``: electronic seals (SESeal) and seal
signatures (SES_Signature, an OFD ``SignedValue.dat``) of GM/T 0031-2014, GB/T 38540-2020 and
GM/T 0031-2025. The file's kind and version are read from its structure.

Exit codes as for ``certmutual verify``: 0 accepted (``inspect``: read), 1 rejected, 2 unreadable input
(a file that cannot be read, or bytes that are neither a seal nor a seal signature; one line on
stderr).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from certmutual.cli.common import (
    EXIT_ACCEPTED, EXIT_REJECTED, InputError, add_trust_options, add_vendors_option, parse_time, print_result,
    read_trust_options, vendors,
)
from certmutual.errors import MalformedInput
from certmutual.pki.crl import CertificateList
from certmutual.pki.loading import load_all, load_crls, read_bytes
from certmutual.pki.policy import Policy
from certmutual.results import ReasonCode, VerificationResult
from certmutual.seals import (
    Seal, SealResult, SealSignature, SealSignatureResult, UnsupportedSealFormat, check_seal, check_seal_signature,
    export_picture, parse,
)
from certmutual.seals.describe import describe
from certmutual.verifier import Verifier


def _read(path: str) -> Seal | SealSignature:
    """The seal or seal signature in ``path``; anything else is unreadable input (exit 2)."""
    data = read_bytes(path)
    try:
        return parse(data)
    except (MalformedInput, UnsupportedSealFormat) as exc:
        raise InputError(f"{path}: not a readable seal or seal signature: {exc}") from None


def cmd_seal_inspect(args: argparse.Namespace) -> int:
    value = _read(args.file)
    seal = value if isinstance(value, Seal) else value.seal
    picture = export_picture(seal)
    if args.picture:
        Path(args.picture).write_bytes(picture.data)
    facts = describe(value)
    if args.json:
        if args.picture:
            facts["picture_written"] = {"path": args.picture, "format": picture.format.value}
        print(json.dumps(facts, ensure_ascii=False, indent=2))
        return EXIT_ACCEPTED
    _print_facts(facts)
    if args.picture:
        print(f"picture: {len(picture.data)} bytes ({picture.format.value}, declared {picture.declared_type!r}) "
              f"written to {args.picture}")
    return EXIT_ACCEPTED


def _print_facts(facts: dict[str, object], indent: str = "") -> None:
    kind = "seal signature" if facts["kind"] == "seal_signature" else "seal"
    print(f"{indent}{kind}: {facts['standard']} ({facts['version']})")
    skip = {"kind", "standard", "version", "seal", "findings"}
    for key, value in facts.items():
        if key in skip or value in (None, [], {}):
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, list):
            value = "; ".join(", ".join(f"{k}={v}" for k, v in item.items()) if isinstance(item, dict) else str(item)
                              for item in value)
        print(f"{indent}  {key}: {value}")
    findings = facts.get("findings")
    if isinstance(findings, list):
        for finding in findings:
            if isinstance(finding, dict):
                print(f"{indent}  warning {finding['code']}: {finding['message']}")
    seal = facts.get("seal")
    if isinstance(seal, dict):
        _print_facts(seal, indent + "  ")


def cmd_seal_verify(args: argparse.Namespace) -> int:
    value = _read(args.file)
    signed_data = read_bytes(args.data) if args.data else None
    if signed_data is not None and isinstance(value, Seal):
        raise InputError("--data applies to a seal signature (SES_Signature); the file is a seal (SESeal)")
    trust = read_trust_options(args)
    if isinstance(trust, VerificationResult):
        return print_result(trust, args.json)
    crls: list[CertificateList] = load_all(args.crl, load_crls)
    verifier = Verifier(trust.anchors, intermediates=trust.intermediates, crls=crls, policy=Policy(), vendors=vendors(args),
                        trust_list=trust.trust_list)
    at = parse_time(args.at)
    result: SealResult | SealSignatureResult
    if isinstance(value, Seal):
        result = check_seal(value, verifier, at=at, strict=args.strict)
    else:
        result = check_seal_signature(value, verifier, signed_data=signed_data, at=at, strict=args.strict)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_verdict(result)
    return EXIT_ACCEPTED if result.accepted else EXIT_REJECTED


def _print_verdict(result: SealResult | SealSignatureResult) -> None:
    print("ACCEPTED" if result.accepted else f"REJECTED ({result.status.value})")
    for reason in result.reasons:
        if reason.code is not ReasonCode.OK:
            where = f" [{reason.concerns}]" if reason.concerns else ""
            print(f"  {reason.code.value}: {reason.message}{where}")
    for warning in result.warnings:
        where = f" [{warning.concerns}]" if warning.concerns else ""
        print(f"  warning {warning.code.value}: {warning.message}{where}")
    seal = result if isinstance(result, SealResult) else result.seal
    if isinstance(result, SealSignatureResult):
        if result.signer is not None:
            print(f"  signer: {result.signer.subject}")
        if result.identity is not None and result.identity.found:
            print(f"  entity: {result.identity.name or ''} {result.identity.entity_key or ''}".rstrip())
        print(f"  signing time: {result.signing_time.isoformat() if result.signing_time else 'unknown'}"
              f" ({result.time_source.value if result.time_source else 'none'}); judged at "
              f"{result.at.isoformat() if result.at else 'n/a'}")
    if seal is not None and seal.version is not None:
        print(f"  seal: {seal.name!r} esID {seal.es_id} ({seal.version.standard}), valid "
              f"{seal.valid_start.isoformat() if seal.valid_start else '?'} .. "
              f"{seal.valid_end.isoformat() if seal.valid_end else '?'}")
        if seal.maker is not None:
            print(f"  seal maker: {seal.maker.subject}")
    for position, link in enumerate(result.chain):
        print(f"  chain[{position}] {link.subject}  (serial {link.serial})")


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    seal = commands.add_parser("seal", help="electronic seals (SESeal) and seal signatures (SES_Signature)")
    actions = seal.add_subparsers(dest="seal_command", required=True)

    inspect = actions.add_parser("inspect", help="show what a seal or seal signature says (no verification)")
    inspect.add_argument("file", help="an SESeal (.esl) or SES_Signature (SignedValue.dat), DER")
    inspect.add_argument("--picture", metavar="OUT", help="write the seal picture, bytes as stored, to OUT")
    inspect.add_argument("--json", action="store_true")
    inspect.set_defaults(handler=cmd_seal_inspect)

    verify = actions.add_parser("verify", help="verify a seal or seal signature")
    verify.add_argument("file", help="an SESeal (.esl) or SES_Signature (SignedValue.dat), DER")
    verify.add_argument("--data", metavar="FILE", help="what a seal signature's dataHash covers (OFD: its Signature.xml)")
    add_trust_options(verify)
    verify.add_argument("--crl", action="append", default=[], metavar="PATH", help="CRLs (PEM, DER or directory)")
    verify.add_argument("--at", metavar="ISO8601", help="judge the seal (and signer) at this time instead of the signing time / now")
    verify.add_argument("--strict", action="store_true", help="reject tolerated deviations from the seal standards instead of warning")
    verify.add_argument("--json", action="store_true")
    add_vendors_option(verify)
    verify.set_defaults(handler=cmd_seal_verify)
