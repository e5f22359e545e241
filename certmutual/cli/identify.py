"""``certmutual identify``: the market entity a certificate speaks for."""

from __future__ import annotations

import argparse
import json

from certmutual.cli.common import EXIT_ACCEPTED, EXIT_REJECTED, add_vendors_option, vendors
from certmutual.identity.model import Identity
from certmutual.pki.loading import load_certificates
from certmutual.verifier import Verifier


def cmd_identify(args: argparse.Namespace) -> int:
    """Exit 0 when the certificate identifies a market entity, 1 when it does not."""
    certificate = load_certificates(args.cert)[0]
    identity = Verifier([], vendors=vendors(args)).identify(certificate)
    if args.json:
        print(json.dumps(identity.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_identity(identity)
    return EXIT_ACCEPTED if identity.found else EXIT_REJECTED


def print_identity(identity: Identity) -> None:
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


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    identify = commands.add_parser("identify", help="read the market entity a certificate speaks for")
    identify.add_argument("cert", help="the certificate (PEM, DER or base64)")
    add_vendors_option(identify)
    identify.add_argument("--json", action="store_true")
    identify.set_defaults(handler=cmd_identify)
