"""``certmutual trustlist build|sign|verify|show`` (format: specs/trust-list.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from certmutual.cli.common import (
    EXIT_ACCEPTED, add_vendors_option, parse_time, print_result, vendors, verified_trust_list, write_output,
)
from certmutual.identity.profiles import default_vendors_directory
from certmutual.pki.keyfile import load_signing_key
from certmutual.pki.loading import load_certificates, read_bytes
from certmutual.pki.trustlist import TrustListError, load_trust_list, sign_trust_list
from certmutual.pki.trustlist.build import VendorFacts, build_trust_list
from certmutual.results import Reason, ReasonCode, VerificationResult
from certmutual.verifier import utc_now


def cmd_build(args: argparse.Namespace) -> int:
    profiles = vendors(args)
    facts = {p.id: VendorFacts(p.name_zh or p.name, p.crl_urls, p.ocsp_urls) for p in profiles.profiles}
    directory = Path(args.vendors) if args.vendors else default_vendors_directory()
    write_output(args.out, build_trust_list(Path(args.policy), facts, directory, utc_now()))
    return EXIT_ACCEPTED


def cmd_sign(args: argparse.Namespace) -> int:
    key = load_signing_key(read_bytes(args.key))
    signer = load_certificates(args.cert)[0]
    write_output(args.out, sign_trust_list(read_bytes(args.list), key, signer))
    return EXIT_ACCEPTED


def cmd_verify(args: argparse.Namespace) -> int:
    """Exit 0: signed by the authority and fresh at --at (default now); 1: not (reason printed)."""
    when = parse_time(args.at) or utc_now()
    try:
        trust_list = verified_trust_list(args.list, args.authority)
    except TrustListError as exc:
        return print_result(VerificationResult((Reason(exc.code, str(exc)),), when), args.json)
    reasons: tuple[Reason, ...] = ()
    if trust_list.is_expired(when):
        reasons = (Reason(ReasonCode.TRUST_LIST_EXPIRED, f"next_update {trust_list.next_update.isoformat()} has passed"),)
    return print_result(VerificationResult(reasons, when), args.json, {"trust_list": trust_list.to_dict(when)} if args.json else None)


def cmd_show(args: argparse.Namespace) -> int:
    """Print a list (signed or not; the signature is NOT checked: ``verify`` does that) and each
    vendor's status at --at (default now)."""
    when = parse_time(args.at) or utc_now()
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


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    trustlist = commands.add_parser("trustlist", help="build, sign, verify or show a province trust list")
    subcommands = trustlist.add_subparsers(dest="trustlist_command", required=True)
    build = subcommands.add_parser("build", help="build an unsigned list from vendors/ and a policy file")
    build.add_argument("--policy", required=True, metavar="TOML", help="the province's decisions (see specs/trust-list.md)")
    add_vendors_option(build)
    build.add_argument("--out", metavar="FILE", help="where to write the list (default: stdout)")
    build.set_defaults(handler=cmd_build)
    sign = subcommands.add_parser("sign", help="sign a list with the authority's key")
    sign.add_argument("list", metavar="LIST")
    sign.add_argument("--key", required=True, metavar="PEM", help="the signer's private key (PKCS#8 or SEC1 PEM; SM2, RSA, ECDSA)")
    sign.add_argument("--cert", required=True, metavar="CERT", help="the signer's certificate")
    sign.add_argument("--out", metavar="FILE")
    sign.set_defaults(handler=cmd_sign)
    check = subcommands.add_parser("verify", help="check a list's signature, signer and freshness")
    check.add_argument("list", metavar="LIST")
    check.add_argument("--authority", action="append", required=True, metavar="CERT", help="the province authority certificate")
    check.add_argument("--at", metavar="ISO8601", help="judge freshness at this time (default: now)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=cmd_verify)
    show = subcommands.add_parser("show", help="print a list and each vendor's status (signature not checked)")
    show.add_argument("list", metavar="LIST")
    show.add_argument("--at", metavar="ISO8601", help="status at this time (default: now)")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)
