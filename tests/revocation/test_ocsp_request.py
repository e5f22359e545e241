"""OCSP requests (RFC 6960 §4.1) and responder URLs: :func:`build_request`, :func:`ocsp_urls`."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import keys
from asn1crypto import ocsp as asn1_ocsp

from certmutual.crypto.sm3 import sm3
from certmutual.errors import UsageError
from certmutual.pki.builder import KeyKind
from certmutual.pki.ocsp import HASH_ALGORITHMS, build_request, ocsp_urls
from tests.pki_factory import CHAIN_KINDS, make_chain

OPENSSL = shutil.which("openssl")


@pytest.mark.parametrize("kind", CHAIN_KINDS, ids=lambda k: k.value)
@pytest.mark.parametrize("hash_name", ["sha1", "sha256", "sm3"])
def test_request_carries_one_cert_id(kind: KeyKind, hash_name: str) -> None:
    chain = make_chain(kind)
    request = asn1_ocsp.OCSPRequest.load(build_request(chain.leaf, chain.intermediate, hash_algorithm=hash_name), strict=True)
    (single,) = request["tbs_request"]["request_list"]
    cert_id = single["req_cert"]
    digest = sm3 if hash_name == "sm3" else (lambda data: hashlib.new(hash_name, data).digest())
    key_bits = keys.PublicKeyInfo.load(chain.intermediate.spki)["public_key"].contents[1:]
    assert cert_id["hash_algorithm"]["algorithm"].dotted == HASH_ALGORITHMS[hash_name]
    assert cert_id["issuer_name_hash"].native == digest(chain.intermediate.subject_der)
    assert cert_id["issuer_key_hash"].native == digest(key_bits)
    assert cert_id["serial_number"].native == chain.leaf.serial
    assert request["tbs_request"]["request_extensions"].native is None
    assert request["optional_signature"].native is None


def test_request_nonce_extension() -> None:
    chain = make_chain(KeyKind.SM2)
    request = asn1_ocsp.OCSPRequest.load(build_request(chain.leaf, chain.intermediate, nonce=b"\x01" * 16))
    (ext,) = request["tbs_request"]["request_extensions"]
    assert ext["extn_id"].dotted == "1.3.6.1.5.5.7.48.1.2"
    assert ext["extn_value"].parsed.native == b"\x01" * 16
    assert not ext["critical"].native


@pytest.mark.parametrize("bad", [{"nonce": b""}, {"nonce": b"x" * 33}, {"hash_algorithm": "md5"}])
def test_request_refuses_misuse(bad: dict[str, object]) -> None:
    chain = make_chain(KeyKind.SM2)
    with pytest.raises(UsageError):
        build_request(chain.leaf, chain.intermediate, **bad)  # type: ignore[arg-type]


def test_ocsp_urls() -> None:
    chain = make_chain(KeyKind.SM2)
    assert ocsp_urls(chain.leaf) == []
    leaf = chain.issue_leaf(ocsp_urls=["http://ocsp.example.com/a", "http://ocsp.example.com/b"])
    assert ocsp_urls(leaf) == ["http://ocsp.example.com/a", "http://ocsp.example.com/b"]


@pytest.mark.skipif(OPENSSL is None, reason="openssl is not on PATH")
@pytest.mark.parametrize("hash_name", ["sha1", "sha256"])
def test_openssl_reads_our_request(tmp_path: Path, hash_name: str) -> None:
    chain = make_chain(KeyKind.RSA2048)
    path = tmp_path / "req.der"
    path.write_bytes(build_request(chain.leaf, chain.intermediate, nonce=b"\xab" * 8, hash_algorithm=hash_name))
    out = subprocess.run([OPENSSL, "ocsp", "-reqin", str(path), "-req_text", "-noverify"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert f"Serial Number: {chain.leaf.serial:X}" in out, out
    assert "OCSP Nonce" in out and "ABABABABABABABAB" in out.upper().replace(":", ""), out
    assert {"sha1": "sha1", "sha256": "sha256"}[hash_name] in out, out
