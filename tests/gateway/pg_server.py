"""A throwaway PostgreSQL server for the gateway's storage tests (and ``.ci/run``).

``python -m tests.gateway.pg_server start DIR`` runs ``initdb`` into DIR and starts the server on
127.0.0.1 (a free port) with its socket in DIR; it prints the URL. ``stop DIR`` stops it. When run
as root, the server runs as the ``postgres`` user (PostgreSQL refuses root). The binaries are found
on PATH or under /usr/lib/postgresql/*/bin (Debian's ``postgresql`` package).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


class PostgresUnavailable(Exception):
    """No PostgreSQL server could be started here (the message says why)."""


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return candidate
    raise PostgresUnavailable(f"{name} not found (install Debian's postgresql package)")


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("running as root and there is no 'postgres' user to run the server as") from None
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *command]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(directory: str) -> str:
    """Initialise and start a server in ``directory``; return its ``postgresql://`` URL."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    base = Path(directory).resolve()
    data = base / "data"
    base.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(base, entry.pw_uid, entry.pw_gid)
    port = _free_port()
    run = subprocess.run(_as_server_user([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                          "--no-locale"]), capture_output=True, text=True)
    if run.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {(run.stderr or run.stdout).strip().splitlines()[-1:]}")
    options = f"-h 127.0.0.1 -p {port} -k {base} -c fsync=off -c max_connections=200"
    run = subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-l", str(base / "server.log"), "-o", options, "-w",
                                          "-t", "60", "start"]), capture_output=True, text=True)
    if run.returncode != 0:
        log = (base / "server.log").read_text(errors="replace") if (base / "server.log").exists() else ""
        raise PostgresUnavailable(f"pg_ctl start failed: {run.stderr.strip()} {log.strip().splitlines()[-1:]}")
    (base / "url").write_text(f"postgresql://postgres@127.0.0.1:{port}/postgres\n")
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def stop(directory: str) -> None:
    data = Path(directory).resolve() / "data"
    if data.exists():
        subprocess.run(_as_server_user([_binary("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, text=True)


def wait_ready(url: str, timeout: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url, connect_timeout=5).close()
            return
        except psycopg.Error:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


if __name__ == "__main__":
    action, folder = sys.argv[1], sys.argv[2]
    try:
        if action == "start":
            print(start(folder))
        else:
            stop(folder)
    except PostgresUnavailable as exc:
        print(f"PostgreSQL unavailable: {exc}", file=sys.stderr)
        sys.exit(1)
