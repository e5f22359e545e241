"""Seed inputs and shared settings for the fuzz tests.

Seeds come from two places: certificates, CRLs and keys issued here by :mod:`certmutual.pki.builder`
(SM2, RSA-2048, P-256 chains, built once per session), and the real third-party corpus under the
shared folder (``corpus/certs``, ``corpus/crl``), read in place and never copied.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from asn1crypto import pem, x509
from hypothesis import HealthCheck, settings

from certmutual import Verifier
from certmutual.pki.builder import KeyKind, SigningKey
from tests.fuzz.mutations import extension_values
from tests.pki_factory import (
    CHAIN_KINDS, REF_TIME, TestChain, general_name, make_chain, name_constraints_extension, san_extension,
)
from tests.shared_data import SHARED, shared_path

T = TypeVar("T")

# -- settings ------------------------------------------------------------------------------------

_ENV_EXAMPLES = os.environ.get("CERTMUTUAL_FUZZ_EXAMPLES", "").strip()
FUZZ_EXAMPLES = int(_ENV_EXAMPLES) if _ENV_EXAMPLES else 0
"""``CERTMUTUAL_FUZZ_EXAMPLES=N``: every fuzz test runs at least N examples (default: its CI budget)."""

TIME_LIMIT = 1.0
"""Seconds any single parse (or verification) may take."""


def fuzz_settings(examples: int) -> settings:
    """Deterministic settings: ``examples`` in CI, more when CERTMUTUAL_FUZZ_EXAMPLES asks for it."""
    return settings(
        max_examples=max(examples, FUZZ_EXAMPLES),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=False,
    )


def timed(call: Callable[..., T], *args: Any, limit: float = TIME_LIMIT, **kwargs: Any) -> T:
    """``call(*args, **kwargs)``, failing the test if it returns or raises after ``limit`` seconds."""
    start = time.perf_counter()
    try:
        return call(*args, **kwargs)
    finally:
        elapsed = time.perf_counter() - start
        assert elapsed < limit, f"{getattr(call, '__qualname__', call)} took {elapsed:.2f} s (limit {limit} s)"


# -- seeds built here ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltSeeds:
    chains: tuple[TestChain, ...]
    certificates: tuple[bytes, ...]
    """Roots, intermediates and leaves of every chain, plus leaves with unusual extensions."""
    leaves: tuple[bytes, ...]
    """Leaves issued under the chains' intermediates (inputs for the Verifier)."""
    crls: tuple[bytes, ...]
    spkis: tuple[bytes, ...]
    extensions: tuple[tuple[str, bytes], ...]
    """(extnID content hex, extnValue contents) of every extension in ``certificates``."""
    constrained: TestChain
    """An SM2 chain whose intermediate carries name constraints (same root key and name as the SM2 chain)."""

    def verifier(self) -> Verifier:
        """Trusts every chain's root; every intermediate is known, the name-constrained one too (same
        name and key as the SM2 chain's, so path building has two candidates to choose from)."""
        intermediates = [c.intermediate for c in self.chains] + [self.constrained.intermediate]
        return Verifier([c.root for c in self.chains], intermediates=intermediates)


@functools.lru_cache(maxsize=1)
def built_seeds() -> BuiltSeeds:
    chains = tuple(make_chain(kind, key_label="fuzz") for kind in CHAIN_KINDS)
    leaves = []
    crls = []
    for chain in chains:
        leaves.append(chain.leaf.der)
        leaves.append(chain.issue_leaf(
            crl_urls=["http://crl.example.com/ca.crl"], ocsp_urls=["http://ocsp.example.com"],
            extra_extensions=[san_extension(
                general_name("dns_name", "a.example.com"), general_name("rfc822_name", "a@example.com"),
                general_name("ip_address", "192.0.2.1"), general_name("uniform_resource_identifier", "https://x.test/"),
                general_name("directory_name", x509.Name.build({"common_name": "dir"})))],
            serial=0x7FFF_FFFF_FFFF_FFFF_FFFF).der)
        leaves.append(chain.issue_leaf(key_usage={"digital_signature", "non_repudiation"}, dns_names=[]).der)
        crls.append(chain.crl("intermediate", revoked=[(chain.leaf.serial, REF_TIME), (2**70, REF_TIME)]).der)
        crls.append(chain.crl("root").der)
    constrained = make_chain(
        chains[0].kind, key_label="fuzz",
        intermediate_overrides={"extra_extensions": [name_constraints_extension(
            permitted=[general_name("dns_name", "example.com"), general_name("ip_address", "10.0.0.0/8")],
            excluded=[general_name("directory_name", x509.Name.build({"common_name": "evil"}))])]})
    certificates = [c.der for chain in chains for c in (chain.root, chain.intermediate)] + leaves
    certificates.append(constrained.intermediate.der)
    spkis = [chain.leaf.spki for chain in chains] + [SigningKey.generate(kind).spki for kind in (KeyKind.P384, KeyKind.ED25519)]
    spkis.append(_openssl3_sm2_spki(chains[0].leaf.spki))
    extensions = sorted({item for der in certificates for item in extension_values(der).items()})
    return BuiltSeeds(chains, tuple(certificates), tuple(leaves), tuple(crls), tuple(spkis), tuple(extensions), constrained)


def _openssl3_sm2_spki(spki: bytes) -> bytes:
    """The same SM2 key with 1.2.156.10197.1.301 as the algorithm itself (OpenSSL 3's encoding)."""
    from asn1crypto import keys

    info = keys.PublicKeyInfo.load(spki)
    point = info["public_key"].contents
    algorithm = bytes.fromhex("300a06082a811ccf5501822d")
    body = algorithm + b"\x03" + _len(len(point)) + point
    return b"\x30" + _len(len(body)) + body


def _len(n: int) -> bytes:
    return bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 0x100 else bytes([0x82]) + n.to_bytes(2, "big")


# -- the shared corpus ---------------------------------------------------------------------------------


def _der_of_file(data: bytes) -> list[bytes]:
    """The DER blocks of a corpus file (PEM, base64 text or DER), read without certmutual."""
    if pem.detect(data):
        try:
            return [der for _, _, der in pem.unarmor(data, multiple=True)]
        except ValueError:
            return [data]
    stripped = data.strip()
    if stripped[:1] not in (b"\x30", b""):
        try:
            return [base64.b64decode(b"".join(stripped.split()), validate=True)]
        except (binascii.Error, ValueError):
            return [data]
    return [data]


@functools.lru_cache(maxsize=4)
def _corpus_blocks(folder: str) -> tuple[bytes, ...]:
    root = SHARED / "corpus" / folder
    if not root.is_dir():
        return ()
    blocks: list[bytes] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        blocks.extend(_der_of_file(path.read_bytes()))
    return tuple(b for b in blocks if b)


class Seeds:
    """Seed blocks with a short repr (Hypothesis prints fixture arguments of failing examples)."""

    def __init__(self, blocks: tuple[bytes, ...]) -> None:
        self.blocks = blocks

    def __repr__(self) -> str:
        return f"<{len(self.blocks)} corpus blocks>"


def corpus_certificates() -> tuple[bytes, ...]:
    """DER of every certificate in ``corpus/certs`` (a pytest skip when the corpus is absent)."""
    shared_path("corpus", "certs")
    blocks = _corpus_blocks("certs")
    if not blocks:
        pytest.skip("no certificates in the shared corpus")
    return blocks


def corpus_crls() -> tuple[bytes, ...]:
    """DER of every file in ``corpus/crl`` (CRLs, and OCSP messages that must be refused)."""
    shared_path("corpus", "crl")
    blocks = _corpus_blocks("crl")
    if not blocks:
        pytest.skip("no CRLs in the shared corpus")
    return blocks


def corpus_path(*parts: str) -> Path:
    return shared_path("corpus", *parts)
