"""Every file of the shared real-world corpus, handed to ``certmutual verify`` as the certificate.

Whatever the file is (certificate, CRL, seal, SES signature, CMS, OFD zip, PDF, the manifests), the
command must end in exit 0, 1 or 2; exit 2 prints exactly one line on stderr; nothing prints a
traceback. Certificates the library can parse must also give the documented ``--json`` shape.
Run in-process through ``certmutual.cli.main`` for speed (about 2 s for the whole corpus).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from certmutual.errors import CertmutualError
from certmutual.pki.loading import load_certificates
from tests.cli.runner import run_cli, check_result_json
from tests.shared_data import SHARED, shared_path

CORPUS = SHARED / "corpus"
TRUST_ANCHOR = ("corpus", "certs", "sm2", "real_ca", "ROOTCA.pem")
"""The national SM2 root (NRCAC ROOTCA): several corpus CAs chain to it."""
AT = "2023-01-01T00:00:00+00:00"


def _corpus_files(under: str = "") -> list[object]:
    """One parameter per file (id = path relative to the corpus), or one that skips if absent."""
    root = CORPUS / under
    if not root.is_dir():
        return [pytest.param(None, id="corpus-absent")]
    files = sorted(p.relative_to(CORPUS).as_posix() for p in root.rglob("*") if p.is_file())
    return [pytest.param(rel, id=rel) for rel in files]


def _corpus_file(rel: str | None) -> Path:
    if rel is None:
        shared_path("corpus")  # skips with a clear reason
    return shared_path("corpus", *rel.split("/"))


def test_corpus_is_the_documented_one() -> None:
    """The walk below covers the whole corpus: every subfolder the manifest lists is present."""
    corpus = shared_path("corpus")
    folders = {p.name for p in corpus.iterdir() if p.is_dir()}
    assert {"certs", "crl", "seals", "signatures", "ofd", "pdf"} <= folders
    assert (corpus / "MANIFEST.md").is_file() and (corpus / "MANIFEST.json").is_file()
    assert len([p for p in corpus.rglob("*") if p.is_file()]) >= 190


@pytest.mark.parametrize("rel", _corpus_files())
def test_verify_any_corpus_file_never_crashes(rel: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    path = _corpus_file(rel)
    trust = shared_path(*TRUST_ANCHOR)
    run = run_cli(capsys, "verify", path, "--trust", trust)  # asserts exit 0/1/2, one-line exit 2, no traceback
    if run.code in (0, 1):
        first = run.out.splitlines()[0]
        expected = "ACCEPTED" if run.code == 0 else "REJECTED ("
        assert first.startswith(expected), run.out


@pytest.mark.parametrize("rel", _corpus_files())
def test_corpus_file_in_every_other_role(rel: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    """The same file as trust anchor, intermediate, CRL, detached signature and signer certificate."""
    path = _corpus_file(rel)
    trust = shared_path(*TRUST_ANCHOR)
    leaf = shared_path("corpus", "certs", "sm2", "from_seals_and_signatures", "1ec27345_CFCA_CS_SM2_CA.cer")
    for argv in (
        ["identify", path],
        ["identify", path, "--json"],
        ["verify", leaf, "--trust", path],
        ["verify", leaf, "--trust", trust, "--untrusted", path],
        ["verify", leaf, "--trust", trust, "--crl", path, "--at", "2022-05-10T00:00:00Z", "--require-revocation"],
        ["verify-signature", "--cert", leaf, "--data", trust, "--signature", path, "--json"],
        ["verify-signature", "--cert", path, "--data", trust, "--signature", leaf],
        ["verify-signature", "--public-key", path, "--data", trust, "--signature", leaf],
    ):
        run_cli(capsys, *argv)  # asserts exit 0/1/2, one-line exit 2, no traceback


@pytest.mark.parametrize("rel", _corpus_files("certs"))
def test_verify_json_for_every_corpus_certificate(rel: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    path = _corpus_file(rel)
    trust = shared_path(*TRUST_ANCHOR)
    try:
        leaf = load_certificates(str(path))[0]
    except (CertmutualError, ValueError):
        leaf = None
    run = run_cli(capsys, "verify", path, "--trust", trust, "--at", AT, "--json")
    if leaf is None:
        # Unparseable certificate (e.g. the dms360 one with a primitive-encoded SAN): refused as
        # unreadable input, with nothing on stdout even under --json.
        assert run.code == 2, run
        return
    assert run.code in (0, 1), run
    payload = run.json()
    check_result_json(payload, exit_code=run.code)
    assert payload["at"] == AT
    if payload["chain"]:
        assert payload["chain"][0]["sha256"] == leaf.sha256 == hashlib.sha256(leaf.der).hexdigest()
    if payload["accepted"]:
        anchor = load_certificates(str(trust))[0]
        assert payload["chain"][-1]["sha256"] == anchor.sha256


def test_known_verdicts_under_the_national_root(capsys: pytest.CaptureFixture[str]) -> None:
    """Oracles from the walk: CAs issued by ROOTCA are accepted, the rest are not."""
    trust = shared_path(*TRUST_ANCHOR)
    accepted = {
        "certs/sm2/real_ca/ROOTCA.pem",
        "certs/sm2/real_ca/Ant_Financial_Certification_Authority_S1.pem",
        "certs/sm2/real_ca/Taier_CA.pem",
        "certs/sm2/real_ca/sm2-x509.pem",
        "certs/sm2/from_seals_and_signatures/1ec27345_CFCA_CS_SM2_CA.cer",
    }
    for rel in sorted(accepted):
        run = run_cli(capsys, "verify", _corpus_file(rel), "--trust", trust, "--at", AT)
        assert run.code == 0, (rel, run.out)
    # Self-signed CFCA CS SM2 CA (2012) is a different certificate from the ROOTCA-issued one.
    run = run_cli(capsys, "verify", _corpus_file("certs/sm2/real_ca/CFCA_CS_CA__CFCA_CS_SM2_CA.cer"),
                  "--trust", trust, "--at", AT, "--json")
    assert run.code == 1 and [r["code"] for r in run.json()["reasons"]] == ["untrusted_root"]
