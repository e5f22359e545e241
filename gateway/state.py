"""What a running gateway holds: configuration, storage, the Verifier and the trust list it was
built from, the authenticator and the metrics. Built once per process by :func:`build_state`."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from certmutual import Policy, Verifier
from certmutual.errors import CertmutualError
from certmutual.identity.model import Identity
from certmutual.identity.profiles import load_profiles
from certmutual.pki.loading import load_all, load_certificates, load_crls, read_bytes
from certmutual.pki.trustlist import TrustList, VendorEntry, verify_trust_list
from flask import Flask, current_app

from gateway.auth import Authenticator
from gateway.config import ConfigError, GatewayConfig
from gateway.demo import DemoFiles, ensure_demo_centre, ensure_demo_pki
from gateway.metrics import Metrics
from gateway.storage import Storage, StorageError, open_storage

log = logging.getLogger("certmutual.gateway")
K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> tuple[bool, V | None]:
        with self._lock:
            if key not in self._entries:
                return False, None
            self._entries.move_to_end(key)
            return True, self._entries[key]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)


@dataclass
class GatewayState:
    config: GatewayConfig
    storage: Storage
    verifier: Verifier
    trust_list: TrustList
    vendor_by_root: dict[str, VendorEntry]
    """Trust-list vendors by the SHA-256 of their roots (the chain's last link names the vendor)."""
    authenticator: Authenticator
    metrics: Metrics
    demo: DemoFiles | None
    identities: LRU[tuple[bytes, tuple[str, ...]], tuple[Identity | None, dict[str, Any] | None]] = field(
        default_factory=lambda: LRU(4096))
    """Identities (and their ``to_dict()``) by certificate SHA-256 and chain fingerprints."""

    def vendor_of(self, root_sha256: str | None) -> VendorEntry | None:
        return self.vendor_by_root.get(root_sha256) if root_sha256 else None


def build_state(config: GatewayConfig) -> GatewayState:
    """Open storage, generate the demo material if configured, load and verify the trust list.
    Raises :class:`ConfigError` with one line naming what is wrong."""
    demo = ensure_demo_pki(Path(config.state_dir)) if config.demo else None
    trust_list_path = str(demo.trust_list) if demo else config.trust_list
    authority_paths = [str(demo.authority)] if demo else list(config.trust_list_authority)
    try:
        storage = open_storage(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
        storage.init_schema()
    except StorageError as exc:
        raise ConfigError(f"database: {exc}") from None
    try:
        trust_list = verify_trust_list(read_bytes(trust_list_path), load_all(authority_paths, load_certificates))
        vendors = load_profiles(Path(config.vendors)) if config.vendors else load_profiles()
        verifier = Verifier([], trust_list=trust_list, crls=load_all(config.crls, load_crls), vendors=vendors,
                            policy=Policy(require_revocation=config.require_revocation))
    except (CertmutualError, OSError) as exc:
        raise ConfigError(f"trust list or vendors: {exc}") from None
    if demo:
        ensure_demo_centre(storage, demo)
    vendor_by_root = {root.sha256: vendor for vendor in trust_list.vendors for root in vendor.roots}
    log.info("trust list #%d (%d vendors, next update %s), database %s", trust_list.sequence_number, len(trust_list.vendors),
             trust_list.next_update.isoformat(), config.database_url.split("@")[-1])
    return GatewayState(config, storage, verifier, trust_list, vendor_by_root, Authenticator(storage, config), Metrics(), demo)


def init_app(app: Flask, state: GatewayState) -> None:
    app.extensions["certmutual"] = state


def state() -> GatewayState:
    """The state of the current app (inside a request or app context)."""
    value: GatewayState = current_app.extensions["certmutual"]
    return value
