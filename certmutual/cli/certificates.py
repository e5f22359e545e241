"""``certmutual verify``, ``verify-signature`` and ``demo``."""

from __future__ import annotations

import argparse
import base64
import binascii
import re
import tempfile
from pathlib import Path
from typing import Any

from asn1crypto import pem

from certmutual.asn1.oids import EKU_NAMES
from certmutual.cli.common import (
    InputError, add_trust_options, add_vendors_option, csv, parse_time, print_result, read_trust_options, vendors,
)
from certmutual.crypto import registry
from certmutual.demo import DemoPKI, build_demo_pki
from certmutual.pki.loading import load_all, load_certificates, load_crls, read_bytes
from certmutual.pki.policy import Policy, key_usage_name
from certmutual.pki.trustlist import Service
from certmutual.results import VerificationResult
from certmutual.pki.fetch import RevocationConfig, RevocationMode, RevocationSource
from certmutual.verifier import Verifier, revocation_source_for


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        usages = frozenset(key_usage_name(u) for u in csv(args.key_usage))
        ekus = frozenset(_eku(e) for e in csv(args.ext_key_usage))
    except ValueError as exc:
        raise InputError(str(exc)) from None
    policy = Policy(required_key_usage=usages, required_ext_key_usage=ekus,
                    require_revocation=args.require_revocation, strict_issuance=args.strict)
    leaf = load_certificates(args.cert)[0]
    trust = read_trust_options(args)
    if isinstance(trust, VerificationResult):
        return print_result(trust, args.json)
    trust_list = trust.trust_list
    revocation = None
    if args.fetch_revocation:
        cache_dir = Path(args.revocation_cache) if args.revocation_cache else None
        revocation = (revocation_source_for(trust_list, cache_dir=cache_dir) if trust_list is not None else RevocationSource(
            RevocationConfig(mode=RevocationMode.HARD_FAIL if args.require_revocation else RevocationMode.SOFT_FAIL,
                             cache_dir=cache_dir)))
    verifier = Verifier(trust.anchors, intermediates=trust.intermediates, crls=load_all(args.crl, load_crls), policy=policy,
                        vendors=vendors(args), trust_list=trust_list, revocation=revocation)
    result = verifier.verify_certificate(leaf, at=parse_time(args.at), service=Service(args.service) if args.service else None)
    extra = {"identity": verifier.identify(leaf, result=result).to_dict()} if args.json else None
    return print_result(result, args.json, extra)


_OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")


def _eku(name: str) -> str:
    """An extended key usage by RFC 5280 name or dotted OID; anything else is a usage error."""
    if name in EKU_NAMES:
        return EKU_NAMES[name]
    if _OID.match(name):
        return name
    raise ValueError(f"unknown extended key usage {name!r} (use {', '.join(EKU_NAMES)} or a dotted OID)")


_HEX = re.compile(rb"^[0-9a-fA-F\s]+$")


def signature_bytes(data: bytes) -> bytes:
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
    signature = signature_bytes(read_bytes(args.signature))
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
    return print_result(Verifier.verify_signature(data, signature, **kwargs), args.json)


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
    return print_result(verifier.verify_certificate(load_certificates(demo.leaf)[0]), args.json)


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    verify = commands.add_parser("verify", help="validate a certificate's path to a trust anchor")
    verify.add_argument("cert", help="the certificate (PEM, DER or base64)")
    add_trust_options(verify)
    verify.add_argument("--service", choices=[s.value for s in Service],
                        help="what the certificate is used for (trust list services; default from keyUsage)")
    verify.add_argument("--crl", action="append", default=[], metavar="PATH", help="CRLs (PEM, DER or directory)")
    verify.add_argument("--at", metavar="ISO8601", help="validation time (default: now)")
    verify.add_argument("--require-revocation", action="store_true",
                        help="fail closed without fresh revocation data for every certificate below the anchor")
    verify.add_argument("--fetch-revocation", action="store_true",
                        help="fetch CRLs and OCSP answers from the certificates' URLs (order, failure mode and timeout "
                             "from the trust list when given; else OCSP first, hard-fail only with --require-revocation)")
    verify.add_argument("--revocation-cache", metavar="DIR", help="keep fetched CRLs and OCSP answers here between runs")
    verify.add_argument("--key-usage", metavar="LIST", help="required leaf key usages, e.g. digitalSignature,nonRepudiation")
    verify.add_argument("--ext-key-usage", metavar="LIST", help="required extended key usages (names or OIDs)")
    verify.add_argument("--strict", action="store_true", help="reject breaches of RFC 5280's issuance rules instead of warning")
    verify.add_argument("--json", action="store_true", help="print the result (with the leaf's identity) as JSON")
    add_vendors_option(verify)
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

    demo = commands.add_parser("demo", help="generate a demo SM2 PKI and verify its leaf")
    demo.add_argument("--dir", help="where to write it (default: a new temporary directory)")
    demo.add_argument("--json", action="store_true")
    demo.set_defaults(handler=cmd_demo)
