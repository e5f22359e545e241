"""What every ``certmutual`` command shares: exit codes, input errors, printing results."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path
from typing import Any

from certmutual.identity.profiles import ProfileSet, load_profiles
from certmutual.results import VerificationResult

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
