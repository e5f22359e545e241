"""The ``certmutual`` command: a thin face over :class:`certmutual.Verifier`.

The commands, options, JSON shapes and exit codes are a contract other tools script against
(README, "Command line"). Exit codes: 0 accepted, 1 rejected, 2 usage error or unreadable input (one
line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime
import json
import re
import sys
import tempfile
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from asn1crypto import pem

from certmutual import Policy, Verifier
from certmutual.demo import DemoPKI, build_demo_pki
from certmutual.asn1.oids import EKU_NAMES
from certmutual.crypto import registry
from certmutual.errors import CertmutualError, MalformedInput
from certmutual.identity.model import Identity
from certmutual.identity.profiles import ProfileSet, default_vendors_directory, load_profiles
from certmutual.pki.keyfile import load_signing_key
from certmutual.pki.trustlist import Service, TrustList, TrustListError, load_trust_list, sign_trust_list, verify_trust_list
from certmutual.pki.trustlist.build import VendorFacts, build_trust_list
from certmutual.pki.certificate import Certificate
from certmutual.pki.loading import load_all, load_certificates, load_crls, read_bytes
from certmutual.pki.policy import key_usage_name
from certmutual.results import Reason, ReasonCode, VerificationResult
from certmutual.verifier import utc_now

EXIT_ACCEPTED, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class InputError(Exception):
    """Unreadable input or a bad option value: exit 2 with one line on stderr."""


def _parse_time(text: str | None) -> datetime.datetime | None:
    if text is None:
        return None
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--at: not an ISO 8601 time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def _csv(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def _print_result(result: VerificationResult, as_json: bool, extra: dict[str, Any] | None = None) -> int:
    if as_json:
        payload = result.to_dict()
        payload.update(extra or {})
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print("ACCEPTED" if result.accepted else f"REJECTED ({result.status.value})")
        if not result.accepted:
            for reason in result.reasons:
                where = f" [{reason.concerns}]" if reason.concerns else ""
                print(f"  {reason.code.value}: {reason.message}{where}")
        for warning in result.warnings:
            print(f"  warning {warning.code.value}: {warning.message}")
        for position, link in enumerate(result.chain):
            print(f"  chain[{position}] {link.subject}  (serial {link.serial})")
    return EXIT_ACCEPTED if result.accepted else EXIT_REJECTED


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        usages = frozenset(key_usage_name(u) for u in _csv(args.key_usage))
        ekus = frozenset(_eku(e) for e in _csv(args.ext_key_usage))
    except ValueError as exc:
        raise InputError(str(exc)) from None
    policy = Policy(required_key_usage=usages, required_ext_key_usage=ekus,
                    require_revocation=args.require_revocation, strict_issuance=args.strict)
    if not args.trust and not args.trust_list:
        raise InputError("give --trust PATH or --trust-list FILE (with --trust-list-authority CERT)")
    leaf = load_certificates(args.cert)[0]
    anchors: list[Certificate] = load_all(args.trust, load_certificates)
    intermediates: list[Certificate] = load_all(args.untrusted, load_certificates)
    try:
        trust_list = _verified_trust_list(args.trust_list, args.trust_list_authority) if args.trust_list else None
    except TrustListError as exc:
        return _print_result(VerificationResult((Reason(exc.code, str(exc)),), utc_now()), args.json)
    verifier = Verifier(anchors, intermediates=intermediates, crls=load_all(args.crl, load_crls), policy=policy,
                        vendors=_vendors(args), trust_list=trust_list)
    result = verifier.verify_certificate(leaf, at=_parse_time(args.at), service=Service(args.service) if args.service else None)
    extra = {"identity": verifier.identify(leaf, result=result).to_dict()} if args.json else None
    return _print_result(result, args.json, extra)


def _verified_trust_list(path: str, authority_paths: list[str]) -> TrustList:
    if not authority_paths:
        raise InputError("--trust-list needs --trust-list-authority CERT (the province authority's certificate)")
    authorities: list[Certificate] = load_all(authority_paths, load_certificates)
    return verify_trust_list(read_bytes(path), authorities)


def cmd_trustlist_build(args: argparse.Namespace) -> int:
    profiles = _vendors(args)
    facts = {p.id: VendorFacts(p.name_zh or p.name, p.crl_urls, p.ocsp_urls) for p in profiles.profiles}
    directory = Path(args.vendors) if args.vendors else default_vendors_directory()
    document = build_trust_list(Path(args.policy), facts, directory, utc_now())
    _write_output(args.out, document)
    return EXIT_ACCEPTED


def cmd_trustlist_sign(args: argparse.Namespace) -> int:
    key = load_signing_key(read_bytes(args.key))
    signer = load_certificates(args.cert)[0]
    _write_output(args.out, sign_trust_list(read_bytes(args.list), key, signer))
    return EXIT_ACCEPTED


def cmd_trustlist_verify(args: argparse.Namespace) -> int:
    """Exit 0: signed by the authority and fresh at --at (default now); 1: not (reason printed)."""
    when = _parse_time(args.at) or utc_now()
    try:
        trust_list = _verified_trust_list(args.list, args.authority)
    except TrustListError as exc:
        return _print_result(VerificationResult((Reason(exc.code, str(exc)),), when), args.json)
    reasons: tuple[Reason, ...] = ()
    if trust_list.is_expired(when):
        reasons = (Reason(ReasonCode.TRUST_LIST_EXPIRED, f"next_update {trust_list.next_update.isoformat()} has passed"),)
    return _print_result(VerificationResult(reasons, when), args.json, {"trust_list": trust_list.to_dict(when)} if args.json else None)


def cmd_trustlist_show(args: argparse.Namespace) -> int:
    """Print a list (signed or not, signature NOT checked: use ``verify`` for that) and each vendor's
    status at --at (default now)."""
    when = _parse_time(args.at) or utc_now()
    trust_list = load_trust_list(read_bytes(args.list))
    if args.json:
        print(json.dumps(trust_list.to_dict(when), ensure_ascii=False, indent=2))
        return EXIT_ACCEPTED
    print(f"trust list #{trust_list.sequence_number} by {trust_list.authority}")
    print(f"  issued {trust_list.issued_at.isoformat()}, next update {trust_list.next_update.isoformat()}"
          + ("  (EXPIRED)" if trust_list.is_expired(when) else ""))
    print(f"  revocation: {trust_list.revocation.order.value}, {trust_list.revocation.mode.value}")
    for vendor in trust_list.vendors:
        period = vendor.status_at(when)
        status = period.status.value if period else "not yet recognised"
        services = ", ".join(sorted(service.value for service in vendor.services))
        print(f"  {vendor.id:14s} {status:12s} {vendor.name}  [{services}]  roots {len(vendor.roots)}, CAs {len(vendor.intermediates)}")
    return EXIT_ACCEPTED


def _write_output(out: str | None, data: bytes) -> None:
    if out:
        Path(out).write_bytes(data)
    else:
        sys.stdout.write(data.decode("utf-8"))


def _vendors(args: argparse.Namespace) -> ProfileSet:
    return load_profiles(Path(args.vendors) if args.vendors else None)


def cmd_identify(args: argparse.Namespace) -> int:
    """Exit 0 when the certificate identifies a market entity, 1 when it does not."""
    certificate = load_certificates(args.cert)[0]
    identity = Verifier([], vendors=_vendors(args)).identify(certificate)
    if args.json:
        print(json.dumps(identity.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_identity(identity)
    return EXIT_ACCEPTED if identity.found else EXIT_REJECTED


def _print_identity(identity: Identity) -> None:
    print(f"{'IDENTIFIED' if identity.found else 'NO IDENTITY'} ({identity.kind.value}, confidence {identity.confidence.value})")
    for label, value in (("name", identity.name), ("credit code", identity.credit_code), ("ID number", identity.id_number),
                         ("organization code", identity.organization_code), ("registration no.", identity.ic_registration_number),
                         ("tax number", identity.tax_number), ("region", identity.region.name if identity.region else None),
                         ("vendor", identity.vendor), ("role", identity.role.value), ("entity key", identity.entity_key)):
        if value:
            print(f"  {label:18s} {value}")
    for evidence in identity.evidence:
        print(f"  evidence {evidence.field}: {evidence.value}  <- {evidence.source} [{evidence.rule}]")
    for conflict in identity.conflicts:
        print(f"  CONFLICT {conflict.field}: " + " vs ".join(f"{e.value} ({e.source})" for e in conflict.values))
    for evidence in identity.rejected:
        print(f"  rejected {evidence.field}: {evidence.value} (check digit fails)  <- {evidence.source} [{evidence.rule}]")


_OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")


def _eku(name: str) -> str:
    """An extended key usage by RFC 5280 name or dotted OID; anything else is a usage error."""
    if name in EKU_NAMES:
        return EKU_NAMES[name]
    if _OID.match(name):
        return name
    raise ValueError(f"unknown extended key usage {name!r} (use {', '.join(EKU_NAMES)} or a dotted OID)")


_HEX = re.compile(rb"^[0-9a-fA-F\s]+$")


def _signature_bytes(data: bytes) -> bytes:
    """Signature files come as binary, hex or base64 text (USB-key SDKs print either)."""
    text = data.strip()
    if text and _HEX.match(text) and len(b"".join(text.split())) % 2 == 0:
        return binascii.unhexlify(b"".join(text.split()))
    if text and all(32 <= b < 127 or b in b"\r\n" for b in text):
        try:
            return base64.b64decode(b"".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            pass
    return data


def cmd_verify_signature(args: argparse.Namespace) -> int:
    data = read_bytes(args.data)
    signature = _signature_bytes(read_bytes(args.signature))
    sm2_id = args.sm2_id.encode("utf-8") if args.sm2_id is not None else None
    kwargs: dict[str, Any] = {"hash_name": args.hash}
    if sm2_id is not None:
        kwargs["sm2_user_id"] = sm2_id
    if args.cert:
        kwargs["certificate"] = load_certificates(args.cert)[0]
    else:
        raw = read_bytes(args.public_key)
        if pem.detect(raw):
            try:
                _, _, raw = pem.unarmor(raw)
            except ValueError as exc:
                raise InputError(f"{args.public_key}: unreadable PEM: {exc}") from None
        registry.load_public_key(raw)  # unreadable key material is input error (exit 2), not a verdict
        kwargs["public_key"] = raw
    return _print_result(Verifier.verify_signature(data, signature, **kwargs), args.json)


def _narrate_demo(demo: DemoPKI) -> None:
    print(f"demo SM2 PKI written to {demo.directory}")
    print(f"$ certmutual verify {demo.leaf} --trust {demo.root} --untrusted {demo.intermediate} "
          f"--crl {demo.crl} --crl {demo.root_crl} --require-revocation --key-usage digitalSignature")


def cmd_demo(args: argparse.Namespace) -> int:
    directory = args.dir or tempfile.mkdtemp(prefix="certmutual-demo-")
    demo = build_demo_pki(directory)
    if not args.json:  # with --json, stdout is the JSON document alone
        _narrate_demo(demo)
    policy = Policy(require_revocation=True, required_key_usage=frozenset({"digital_signature"}))
    verifier = Verifier(load_certificates(demo.root), intermediates=load_certificates(demo.intermediate),
                        crls=load_crls(demo.crl) + load_crls(demo.root_crl), policy=policy)
    return _print_result(verifier.verify_certificate(load_certificates(demo.leaf)[0]), args.json)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="certmutual", description="Province-wide certificate and seal verification (一证通).")
    commands = parser.add_subparsers(dest="command", required=True)

    verify = commands.add_parser("verify", help="validate a certificate's path to a trust anchor")
    verify.add_argument("cert", help="the certificate (PEM, DER or base64)")
    verify.add_argument("--trust", action="append", default=[], metavar="PATH", help="trust anchors: PEM bundle, DER file or directory")
    verify.add_argument("--trust-list", metavar="FILE", help="a signed province trust list (its roots become trust anchors)")
    verify.add_argument("--trust-list-authority", action="append", default=[], metavar="CERT",
                        help="the province authority certificate the trust list must be signed by")
    verify.add_argument("--service", choices=[s.value for s in Service],
                        help="what the certificate is used for (trust list services; default from keyUsage)")
    verify.add_argument("--untrusted", action="append", default=[], metavar="PATH", help="intermediates for path building")
    verify.add_argument("--crl", action="append", default=[], metavar="PATH", help="CRLs (PEM, DER or directory)")
    verify.add_argument("--at", metavar="ISO8601", help="validation time (default: now)")
    verify.add_argument("--require-revocation", action="store_true", help="fail closed without a fresh CRL for every certificate")
    verify.add_argument("--key-usage", metavar="LIST", help="required leaf key usages, e.g. digitalSignature,nonRepudiation")
    verify.add_argument("--ext-key-usage", metavar="LIST", help="required extended key usages (names or OIDs)")
    verify.add_argument("--strict", action="store_true", help="reject breaches of RFC 5280's issuance rules instead of warning")
    verify.add_argument("--json", action="store_true", help="print the result (with the leaf's identity) as JSON")
    verify.add_argument("--vendors", metavar="DIR", help="vendor profile directory (default: vendors/ or $CERTMUTUAL_VENDORS)")
    verify.set_defaults(handler=cmd_verify)

    signature = commands.add_parser("verify-signature", help="verify a detached signature (SM2, RSA, ECDSA, Ed25519)")
    key = signature.add_mutually_exclusive_group(required=True)
    key.add_argument("--cert", metavar="CERT", help="the signer's certificate")
    key.add_argument("--public-key", metavar="PEM", help="the signer's public key (SubjectPublicKeyInfo PEM or DER)")
    signature.add_argument("--data", required=True, metavar="FILE")
    signature.add_argument("--signature", required=True, metavar="FILE", help="binary, hex or base64; SM2 as DER or raw r||s")
    signature.add_argument("--sm2-id", metavar="TEXT", help="SM2 user ID for Z_A (default 1234567812345678; \"\" is the empty ID)")
    signature.add_argument("--hash", choices=["sha1", "sha224", "sha256", "sha384", "sha512", "sm3"], help="digest for RSA/ECDSA")
    signature.add_argument("--json", action="store_true")
    signature.set_defaults(handler=cmd_verify_signature)

    trustlist = commands.add_parser("trustlist", help="build, sign, verify or show a province trust list")
    trustlist_commands = trustlist.add_subparsers(dest="trustlist_command", required=True)
    build = trustlist_commands.add_parser("build", help="build an unsigned list from vendors/ and a policy file")
    build.add_argument("--policy", required=True, metavar="TOML", help="the province's decisions (see specs/trust-list.md)")
    build.add_argument("--vendors", metavar="DIR", help="vendor profile directory (default: vendors/ or $CERTMUTUAL_VENDORS)")
    build.add_argument("--out", metavar="FILE", help="where to write the list (default: stdout)")
    build.set_defaults(handler=cmd_trustlist_build)
    sign = trustlist_commands.add_parser("sign", help="sign a list with the authority's key")
    sign.add_argument("list", metavar="LIST")
    sign.add_argument("--key", required=True, metavar="PEM", help="the signer's private key (PKCS#8 or SEC1 PEM; SM2, RSA, ECDSA)")
    sign.add_argument("--cert", required=True, metavar="CERT", help="the signer's certificate")
    sign.add_argument("--out", metavar="FILE")
    sign.set_defaults(handler=cmd_trustlist_sign)
    check = trustlist_commands.add_parser("verify", help="check a list's signature, signer and freshness")
    check.add_argument("list", metavar="LIST")
    check.add_argument("--authority", action="append", required=True, metavar="CERT", help="the province authority certificate")
    check.add_argument("--at", metavar="ISO8601", help="judge freshness at this time (default: now)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=cmd_trustlist_verify)
    show = trustlist_commands.add_parser("show", help="print a list and each vendor's status (signature not checked)")
    show.add_argument("list", metavar="LIST")
    show.add_argument("--at", metavar="ISO8601", help="status at this time (default: now)")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_trustlist_show)

    identify_command = commands.add_parser("identify", help="read the market entity a certificate speaks for")
    identify_command.add_argument("cert", help="the certificate (PEM, DER or base64)")
    identify_command.add_argument("--vendors", metavar="DIR", help="vendor profile directory (default: vendors/ or $CERTMUTUAL_VENDORS)")
    identify_command.add_argument("--json", action="store_true")
    identify_command.set_defaults(handler=cmd_identify)

    demo = commands.add_parser("demo", help="generate a demo SM2 PKI and verify its leaf")
    demo.add_argument("--dir", help="where to write it (default: a new temporary directory)")
    demo.add_argument("--json", action="store_true")
    demo.set_defaults(handler=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (InputError, CertmutualError, OSError, ValueError) as exc:
        what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        filename = f"{exc.filename}: " if isinstance(exc, OSError) and exc.filename else ""
        print(f"certmutual: {filename}{what}".splitlines()[0], file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
