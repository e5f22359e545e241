"""What every ``certmutual`` command shares: exit codes, input errors, printing results."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from certmutual.identity.profiles import ProfileSet, load_profiles
from certmutual.pki.certificate import Certificate
from certmutual.pki.loading import load_all, load_certificates, read_bytes
from certmutual.pki.trustlist import TrustList, TrustListError, verify_trust_list
from certmutual.results import Reason, VerificationResult
from certmutual.verifier import utc_now

EXIT_ACCEPTED, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class InputError(Exception):
    """Unreadable input or a bad option value: exit 2 with one line on stderr."""


def parse_time(text: str | None) -> datetime.datetime | None:
    if text is None:
        return None
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--at: not an ISO 8601 time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def csv(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def print_result(result: VerificationResult, as_json: bool, extra: dict[str, Any] | None = None) -> int:
    """Print a verdict (text or JSON) and return its exit code."""
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


def write_output(out: str | None, data: bytes) -> None:
    if out:
        Path(out).write_bytes(data)
    else:
        sys.stdout.write(data.decode("utf-8"))


def add_vendors_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vendors", metavar="DIR", help="vendor profile directory (default: vendors/ or $CERTMUTUAL_VENDORS)")


def vendors(args: argparse.Namespace) -> ProfileSet:
    return load_profiles(Path(args.vendors) if args.vendors else None)


def add_trust_options(parser: argparse.ArgumentParser) -> None:
    """Where a command's trust comes from: ``--trust`` anchors or a signed ``--trust-list`` (with
    its ``--trust-list-authority``), and ``--untrusted`` intermediates."""
    anchors = parser.add_mutually_exclusive_group(required=True)
    anchors.add_argument("--trust", action="append", default=[], metavar="PATH", help="trust anchors: PEM bundle, DER file or directory")
    anchors.add_argument("--trust-list", metavar="FILE", help="a signed province trust list (its roots become trust anchors)")
    parser.add_argument("--trust-list-authority", action="append", default=[], metavar="CERT",
                        help="the province authority certificate the trust list must be signed by")
    parser.add_argument("--untrusted", action="append", default=[], metavar="PATH", help="intermediates for path building")


@dataclass(frozen=True)
class TrustInputs:
    """What :func:`add_trust_options` named, read: the anchors, the intermediates, the verified list."""

    anchors: list[Certificate]
    intermediates: list[Certificate]
    trust_list: TrustList | None


def read_trust_options(args: argparse.Namespace) -> TrustInputs | VerificationResult:
    """The trust the options name; or, when the trust list itself fails, its verdict (a command
    prints it like any other rejection)."""
    try:
        trust_list = verified_trust_list(args.trust_list, args.trust_list_authority) if args.trust_list else None
    except TrustListError as exc:
        return VerificationResult((Reason(exc.code, str(exc)),), utc_now())
    return TrustInputs(load_all(args.trust, load_certificates), load_all(args.untrusted, load_certificates), trust_list)


def verified_trust_list(path: str, authority_paths: list[str]) -> TrustList:
    """A trust list file checked against the pinned authority certificates (raises TrustListError)."""
    if not authority_paths:
        raise InputError("--trust-list needs --trust-list-authority CERT (the province authority's certificate)")
    authorities: list[Certificate] = load_all(authority_paths, load_certificates)
    return verify_trust_list(read_bytes(path), authorities)
