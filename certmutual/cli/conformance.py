"""``certmutual conformance``: the vendor conformance kit (issue 7).

``run DIR_OR_FILES... [--profile DIR] [--format text|json|junit|html] [--output FILE]`` judges a sample
against the province profile; exit code = number of error and fatal findings, at most 100 (so 0 means
the sample conforms). ``list-checks [--profile DIR] [--format csv|json]`` lists the rules. A missing
input or a broken profile is a usage error (exit 2, one line on stderr).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
from pathlib import Path

from certmutual.cli.common import EXIT_ACCEPTED, InputError, write_output
from certmutual.conformance import exit_code, load_profile, run
from certmutual.conformance.profile import Profile
from certmutual.conformance.reports import Format, render


def _profile(args: argparse.Namespace) -> Profile:
    return load_profile(Path(args.profile) if args.profile else None)


def cmd_run(args: argparse.Namespace) -> int:
    for path in args.inputs:
        if not os.path.exists(path):
            raise InputError(f"{path}: no such file or directory")
    profile = _profile(args)
    report = run(args.inputs, profile)
    write_output(args.output, render(report, Format(args.format)).encode("utf-8"))
    return exit_code(report)


def cmd_list_checks(args: argparse.Namespace) -> int:
    rules = [rule.to_dict() for rule in _profile(args).rules]
    if args.format == "json":
        print(json.dumps(rules, ensure_ascii=False, indent=2))
        return EXIT_ACCEPTED
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "severity", "source", "citation", "applies_to", "effective", "description"])
    for rule in rules:
        writer.writerow([rule["id"], rule["severity"], rule["source"], rule["citation"], " ".join(rule["applies_to"]),
                         rule["effective"], rule["description"]])
    print(out.getvalue(), end="")
    return EXIT_ACCEPTED


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("conformance", help="the vendor conformance kit: judge a sample against the province profile")
    sub = group.add_subparsers(dest="conformance_command", required=True)
    profile_help = "profile directory holding rules.toml (default: specs/profile or $CERTMUTUAL_PROFILE)"
    run_parser = sub.add_parser("run", help="judge certificates, CRLs, OCSP responses, seals and seal signatures; "
                                             "exit code = error and fatal findings (at most 100)")
    run_parser.add_argument("inputs", nargs="+", metavar="DIR_OR_FILES", help="files or directories of the sample")
    run_parser.add_argument("--profile", metavar="DIR", help=profile_help)
    run_parser.add_argument("--format", choices=[f.value for f in Format], default=Format.TEXT.value)
    run_parser.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    run_parser.set_defaults(handler=cmd_run)
    listing = sub.add_parser("list-checks", help="the profile's checks: id, severity, citation, applies to, effective date")
    listing.add_argument("--profile", metavar="DIR", help=profile_help)
    listing.add_argument("--format", choices=["csv", "json"], default="csv")
    listing.set_defaults(handler=cmd_list_checks)
