"""Differential: ``openssl cms -verify`` and certmutual agree on RSA and ECDSA SignedData, intact or
tampered (skipped when no openssl binary is on PATH)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from certmutual.documents.cms import verify_cms
from certmutual.documents.signeddata import parse_signed_data
from certmutual.pki.builder import KeyKind
from tests.documents.cms_factory import HELLO, flip_bit, pkcs7_signed_data
from tests.pki_factory import REF_TIME, epoch, make_chain, write_pem

OPENSSL = shutil.which("openssl")
pytestmark = pytest.mark.skipif(OPENSSL is None, reason="no openssl binary on PATH")


def openssl_accepts(tmp: Path, chain, data: bytes, content: bytes | None) -> bool:  # type: ignore[no-untyped-def]
    signature = tmp / "signature.der"
    signature.write_bytes(data)
    command = [OPENSSL, "cms", "-verify", "-inform", "DER", "-in", str(signature), "-binary", "-purpose", "any",
               "-CAfile", write_pem(tmp / "root.pem", chain.root),
               "-attime", str(epoch(REF_TIME)), "-out", str(tmp / "out.bin")]
    if content is not None:
        (tmp / "content.bin").write_bytes(content)
        command += ["-content", str(tmp / "content.bin")]
    run = subprocess.run(command, capture_output=True, timeout=60)
    return run.returncode == 0


def cases(chain, detached: bool, attributes: bool) -> list[tuple[str, bytes, bytes | None]]:  # type: ignore[no-untyped-def]
    # The intermediate travels in the SignedData: OpenSSL builds the path from the message's certificates.
    data = pkcs7_signed_data(chain, detached=detached, signed_attributes=attributes, certificates=[chain.leaf, chain.intermediate])
    content = HELLO if detached else None
    signature = parse_signed_data(data).signer_infos[0].signature
    out = [("intact", data, content), ("signature-bit", flip_bit(data, data.index(signature) + 10), content)]
    if detached:
        out.append(("other-data", data, HELLO + b"!"))
    else:
        out.append(("content-bit", flip_bit(data, data.index(HELLO) + 2), None))
    return out


@pytest.mark.parametrize("kind", [KeyKind.RSA2048, KeyKind.P256])
@pytest.mark.parametrize("detached", [False, True], ids=["attached", "detached"])
@pytest.mark.parametrize("attributes", [True, False], ids=["signed-attrs", "no-attrs"])
def test_openssl_agrees(tmp_path: Path, kind: KeyKind, detached: bool, attributes: bool) -> None:
    chain = make_chain(kind)
    for name, data, content in cases(chain, detached, attributes):
        ours = verify_cms(data, chain.verifier(intermediates=[]), content=content, at=REF_TIME).accepted
        theirs = openssl_accepts(tmp_path, chain, data, content)
        assert ours == theirs, f"{name}: certmutual {ours}, openssl {theirs}"
        assert ours == (name == "intact"), name
