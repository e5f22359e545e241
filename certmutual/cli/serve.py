"""``certmutual serve``, ``certmutual centres`` and ``certmutual audit``: the gateway's commands.

The library never imports the gateway (or Flask): these commands run it in another process —
``serve`` checks the configuration with ``python -m gateway.admin check`` (which also generates the
demo material on first start), then replaces itself with gunicorn loading ``gateway.wsgi:app``;
``centres`` and ``audit`` hand their arguments to ``python -m gateway.admin``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys

from certmutual.cli.common import EXIT_USAGE, InputError

APP = "gateway.wsgi:app"


def _require(module: str, what: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise InputError(f"{what} is not installed (pip install -e . installs it)")


def _environment(config: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if config:
        if not os.path.exists(config):
            raise InputError(f"{config}: no such configuration file")
        env["CERTMUTUAL_GATEWAY_CONFIG"] = os.path.abspath(config)
    return env


def gunicorn_command(args: argparse.Namespace) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--bind", args.bind, "--workers", str(args.workers),
            "--threads", str(args.threads), "--worker-class", "gthread", "--timeout", "60",
            "--graceful-timeout", "20", "--keep-alive", "5", APP]


def cmd_serve(args: argparse.Namespace) -> int:
    if args.workers < 1 or args.threads < 1:
        raise InputError("--workers and --threads must be at least 1")
    _require("gateway", "the gateway package")
    _require("gunicorn", "gunicorn")
    env = _environment(args.config)
    check = subprocess.run([sys.executable, "-m", "gateway.admin", "check", "--bind", args.bind], env=env)
    if check.returncode != 0:
        return EXIT_USAGE
    command = gunicorn_command(args)
    print(f"certmutual: serving on http://{args.bind} ({args.workers} workers x {args.threads} threads)", file=sys.stderr)
    sys.stderr.flush()
    os.execvpe(command[0], command, env)
    return 0  # not reached


def cmd_admin(args: argparse.Namespace) -> int:
    _require("gateway", "the gateway package")
    forwarded = [args.family, *args.rest]
    return subprocess.run([sys.executable, "-m", "gateway.admin", *forwarded], env=_environment(None)).returncode


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = commands.add_parser("serve", help="run the verification gateway under gunicorn")
    serve.add_argument("--config", metavar="FILE", help="gateway TOML configuration (default: embedded demo defaults)")
    serve.add_argument("--bind", default="127.0.0.1:8000", help="address:port (default 127.0.0.1:8000)")
    serve.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    serve.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    serve.set_defaults(handler=cmd_serve)
    for family, text in (("centres", "register trading centres, issue and revoke API keys (add|key|list|revoke)"),
                         ("audit", "check the gateway's audit trail (verify [--config FILE])")):
        parser = commands.add_parser(family, help=text, add_help=False)
        parser.add_argument("rest", nargs=argparse.REMAINDER)
        parser.set_defaults(handler=cmd_admin, family=family)
