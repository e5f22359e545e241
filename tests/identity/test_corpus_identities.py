"""Every certificate in the real corpus against an independent oracle.

The oracle, ``tests/identity/corpus_identities.py``, was written from ``openssl x509 -text`` and the
corpus MANIFEST by hand, without certmutual. Certificates that carry an identity must give its kind,
code and name; certificates that carry none must give none; nothing may raise.
"""

from __future__ import annotations

import hashlib

import pytest

from certmutual.errors import MalformedInput
from certmutual.identity.extractor import identify
from certmutual.identity.model import EntityKind
from certmutual.identity.profiles import load_profiles
from certmutual.pki.loading import load_certificates
from tests.identity.corpus_identities import EXPECTED
from tests.shared_data import shared_path

PROFILES = load_profiles()


def with_valid_code(expected: dict[str, object]) -> bool:
    return bool(expected["check_digit_valid"]) and bool(expected["credit_code"] or expected["id_number"])


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_corpus_certificate_identity(relative: str) -> None:
    expected = EXPECTED[relative]
    path = shared_path("corpus", relative)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == expected["sha256"], "the corpus file changed: update the oracle"
    try:
        cert = load_certificates(str(path))[0]
    except MalformedInput:
        # Refused as a certificate (certmutual identify exits 2 with the reason): allowed only for
        # files whose oracle entry carries no identity.
        assert not with_valid_code(expected), relative
        return
    identity = identify(cert, PROFILES)
    if with_valid_code(expected):
        assert identity.found, relative
        assert identity.credit_code == expected["credit_code"]
        assert identity.id_number == expected["id_number"]
    else:
        assert not identity.found, (relative, identity.entity_key)
        assert identity.credit_code is None and identity.id_number is None
    if expected["vendor"] == "foreign":
        # GB 32100 / GB 11643 do not apply; the oracle's kinds for these (an Estonian TSA, a Belgian
        # ministry, a Belgian person) are read from their names by a human, which no rule can do.
        assert identity.kind is EntityKind.UNKNOWN, relative
    elif expected["kind"] == "none":
        assert identity.kind is EntityKind.UNKNOWN, relative
    else:
        assert identity.kind.value == expected["kind"], relative
        assert identity.name == expected["name"], relative


def test_the_oracle_covers_every_corpus_certificate() -> None:
    root = shared_path("corpus")
    on_disk = {str(p.relative_to(root)) for p in (root / "certs").rglob("*") if p.is_file()}
    assert on_disk == set(EXPECTED)
