"""The embedded defaults: on first start, a demo PKI, a demo province trust list and a demo centre
with its API key, written into the state directory (``./.certmutual-demo`` by default).

Files there: ``pki/`` (two demo vendors, the trust-list authority, ``trust-list.json``),
``demo.json`` (what was generated), ``demo-api-key`` (the demo centre's key, mode 0600) and
``verify-request.json`` (a ready request body for the Quick start's curl). Several gunicorn workers
start at once: a file lock makes one of them generate and the others wait.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from certmutual.demo import DemoVendor, build_demo_environment, sign_demo_trust_list

from gateway.auth import register_centre
from gateway.storage import Storage

DEMO_CENTRE = "demo-centre"
log = logging.getLogger("certmutual.gateway")


@dataclass(frozen=True)
class DemoFiles:
    directory: Path
    trust_list: Path
    authority: Path
    vendors: tuple[DemoVendor, ...]
    api_key_file: Path
    request_file: Path


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_demo_pki(state_dir: Path) -> DemoFiles:
    """Generate the demo PKI on first start; renew the demo trust list (sequence + 1) when it is
    within a day of expiring, and regenerate everything when a demo certificate is about to expire."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    manifest_path = state_dir / "demo.json"
    with locked(state_dir):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else None
        if manifest is None or datetime.datetime.fromisoformat(manifest["leaf_not_after"]) - now < datetime.timedelta(days=1):
            sequence = manifest["sequence_number"] + 1 if manifest else 1
            env = build_demo_environment(str(state_dir / "pki"), now, sequence_number=sequence)
            manifest = {"sequence_number": sequence, "next_update": env.next_update.isoformat(),
                        "leaf_not_after": (now + datetime.timedelta(days=365)).isoformat(),
                        "authority": env.authority, "authority_key": env.authority_key, "trust_list": env.trust_list,
                        "vendors": [vendor.__dict__ for vendor in env.vendors]}
            log.info("generated the demo PKI and trust list #%d in %s", sequence, state_dir)
        elif datetime.datetime.fromisoformat(manifest["next_update"]) - now < datetime.timedelta(days=1):
            manifest["sequence_number"] += 1
            vendors = tuple(DemoVendor(**vendor) for vendor in manifest["vendors"])
            manifest["next_update"] = sign_demo_trust_list(vendors, manifest["authority"], manifest["authority_key"],
                                                           manifest["trust_list"], now,
                                                           sequence_number=manifest["sequence_number"]).isoformat()
            log.info("renewed the demo trust list as #%d", manifest["sequence_number"])
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        vendors = tuple(DemoVendor(**vendor) for vendor in manifest["vendors"])
        request_file = state_dir / "verify-request.json"
        leaf_pem = Path(vendors[0].leaf).read_text(encoding="ascii")
        request_file.write_text(json.dumps({"certificate": leaf_pem, "purpose": "signing"}, indent=2) + "\n", encoding="utf-8")
    return DemoFiles(state_dir, Path(manifest["trust_list"]), Path(manifest["authority"]), vendors,
                     state_dir / "demo-api-key", request_file)


def ensure_demo_centre(storage: Storage, files: DemoFiles) -> None:
    """Register the demo centre (all scopes) once per database and write its key to ``demo-api-key``."""
    with locked(files.directory):
        if storage.get_centre(DEMO_CENTRE) is not None and files.api_key_file.exists():
            return
        if storage.get_centre(DEMO_CENTRE) is not None:
            storage.revoke(DEMO_CENTRE)  # the key file is gone: nobody holds its key any more
            centre = f"{DEMO_CENTRE}-{os.getpid()}"
        else:
            centre = DEMO_CENTRE
        api_key = register_centre(storage, centre, "演示交易中心 (demo centre)")
        fd = os.open(files.api_key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(api_key + "\n")
        log.info("registered the demo centre %r; its API key is in %s", centre, files.api_key_file)
