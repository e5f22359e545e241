"""The ``certmutual`` command: thin faces over :class:`certmutual.Verifier`.

The commands, options, JSON shapes and exit codes are a contract other tools script against
(README, "Command line"). Exit codes: 0 accepted, 1 rejected, 2 usage error or unreadable input (one
line on stderr, never a traceback). Each command family lives in its own module and registers its
subcommands through ``add_commands``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from certmutual.cli import certificates, conformance, documents, identify, seals, serve, trustlist
from certmutual.cli.common import EXIT_USAGE, InputError
from certmutual.errors import CertmutualError

COMMAND_MODULES = (certificates, identify, trustlist, serve, documents, seals, conformance)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="certmutual", description="Province-wide certificate and seal verification (一证通).")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.add_commands(commands)
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


__all__ = ["build_parser", "main"]
