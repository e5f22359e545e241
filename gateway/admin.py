"""Administration: ``python -m gateway.admin`` (what ``certmutual centres``, ``certmutual audit``
and the pre-flight of ``certmutual serve`` run).

    centres add ID --name NAME [--scopes certificates,signatures,...]   register a centre, print its key once
    centres key ID [--scopes ...]                                      issue another key for a centre
    centres list                                                       centres, key ids, scopes, revocations
    centres revoke ID_OR_KEY_ID                                        revoke a key, or a centre with all its keys
    audit verify                                                       walk the hash chain (exit 0 intact, 1 broken)
    check                                                              build the app once (demo material, schema)

Every command takes ``--config FILE`` (else ``$CERTMUTUAL_GATEWAY_CONFIG``, then ``CERTMUTUAL_*``).
Exit codes: 0 done / intact, 1 audit chain broken or nothing to revoke, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gateway.audit import verify_chain
from gateway.auth import create_api_key, register_centre
from gateway.config import SCOPES, ConfigError, GatewayConfig, load_config
from gateway.storage import Storage, StorageError, open_storage


def _storage(config: GatewayConfig) -> Storage:
    storage = open_storage(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    storage.init_schema()
    return storage


def _scopes(text: str | None) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()] if text else list(SCOPES)


def run(args: argparse.Namespace) -> int:
    overrides = {"config_file": args.config} if args.config else {}
    config = load_config(overrides)
    if args.command == "check":
        from gateway import create_app

        app = create_app(overrides)
        state = app.extensions["certmutual"]
        print(f"certmutual gateway: configuration OK; trust list #{state.trust_list.sequence_number}, "
              f"database {config.database_url.split('@')[-1]}", file=sys.stderr)
        if state.demo is not None:
            print(f"  demo mode: API key in {state.demo.api_key_file}, a ready request in {state.demo.request_file}; try:\n"
                  f"  curl -s http://{args.bind or '127.0.0.1:8000'}/v1/certificates/verify "
                  f"-H \"Authorization: Bearer $(cat {state.demo.api_key_file})\" -H 'Content-Type: application/json' "
                  f"--data @{state.demo.request_file}", file=sys.stderr)
        return 0
    storage = _storage(config)
    if args.command == "audit":
        report = verify_chain(storage)
        if report.ok:
            print(f"audit chain intact: {report.records} records, head {report.head}")
            return 0
        print(f"audit chain BROKEN at row {report.row}: {report.problem}")
        return 1
    if args.action == "add":
        print(register_centre(storage, args.id, args.name, _scopes(args.scopes)))
        print(f"centre {args.id!r} registered; the line above is its API key, shown only now", file=sys.stderr)
        return 0
    if args.action == "key":
        print(create_api_key(storage, args.id, _scopes(args.scopes)))
        return 0
    if args.action == "revoke":
        what = storage.revoke(args.id)
        if what is None:
            print(f"nothing to revoke: no active key or centre {args.id!r}", file=sys.stderr)
            return 1
        print(f"revoked {what} {args.id}")
        return 0
    for centre, keys in storage.list_centres():
        state = f"revoked {centre.revoked_at}" if centre.revoked_at else "active"
        print(f"{centre.id}\t{centre.name}\t{state}")
        for key_id, scopes, revoked in keys:
            print(f"  key {key_id}\t{scopes}\t{'revoked ' + revoked if revoked else 'active'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="certmutual", description="certmutual gateway administration")
    parser.add_argument("--config", metavar="FILE", help="gateway TOML configuration")
    commands = parser.add_subparsers(dest="command", required=True)
    add_admin_commands(commands)
    check = commands.add_parser("check", help="build the gateway once: validate the configuration, create demo material")
    check.add_argument("--bind", help="the address the gateway will listen on (for the printed example)")
    return parser


def add_admin_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``centres`` and ``audit`` commands (shared with certmutual's own parser)."""
    centres = commands.add_parser("centres", help="register trading centres and manage their API keys")
    actions = centres.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="register a centre and print its first API key")
    add.add_argument("id")
    add.add_argument("--name", required=True)
    add.add_argument("--scopes", help=f"comma-separated, from {','.join(SCOPES)} (default: all)")
    key = actions.add_parser("key", help="issue another API key for a centre")
    key.add_argument("id")
    key.add_argument("--scopes")
    actions.add_parser("list", help="list centres and their keys")
    revoke = actions.add_parser("revoke", help="revoke an API key (key id) or a centre (centre id)")
    revoke.add_argument("id")
    audit = commands.add_parser("audit", help="the audit trail")
    audit_actions = audit.add_subparsers(dest="action", required=True)
    audit_actions.add_parser("verify", help="walk the hash chain; name the first altered, deleted or reordered row")


def _config_first(argv: list[str]) -> list[str]:
    """Accept ``--config FILE`` anywhere (``certmutual audit verify --config FILE``)."""
    for index, item in enumerate(argv):
        if item == "--config" and index + 1 < len(argv):
            return ["--config", argv[index + 1], *argv[:index], *argv[index + 2:]]
        if item.startswith("--config="):
            return [item, *argv[:index], *argv[index + 1:]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(_config_first(list(sys.argv[1:] if argv is None else argv)))
    try:
        return run(args)
    except (ConfigError, StorageError, ValueError, OSError) as exc:
        print(f"certmutual: {exc}".splitlines()[0], file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
