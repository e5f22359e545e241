"""Minimal reproducers of what the fuzzers found.

Every test states the behaviour the house rule asks for ("bad input gets a clear answer: a
rejection with a reason code, never a traceback, never a hang"). Open bugs are ``xfail(strict=True)``
with ``raises=`` pinning the exact failure: once fixed, the test XPASSes (a strict failure) and its
mark is to be removed. Fixed bugs stay here as plain regression tests.

Fixed:

BUG-1  certificate.py name_key / names_equivalent fell back to ``name.dump()``, which re-encodes a
       Name whose length octets end in 0x80 (asn1crypto reads a trailing 0x80 as "indefinite"): a
       Name malformed inside made ``subject_key``, ``issuer_key``, ``is_self_issued`` raise ValueError,
       and ``Verifier.verify_certificate`` raise it for such a leaf (issuer) or untrusted certificate.
BUG-2  crypto/registry.py verify_signature / _pss_padding let RSASSA-PSS parameters raise TypeError
       (MGF1 without a hash), ValueError (negative saltLength), OverflowError (saltLength >= 2**31),
       through ``Verifier.verify_certificate`` for a leaf under an RSA issuer (no valid signature needed).
BUG-3  asn1/extensions.py dns_names: raises UnicodeDecodeError for a non-ASCII dNSName when called
       on its own (Certificate always checks with general_names_are_simple first, so not reachable).
BUG-4  (hang) asn1crypto's parser accumulates a high tag number (identifier 0x1f followed by many
       0xff octets) in a Python int, in quadratic time or worse; certmutual hands such bytes to it
       from Certificate (extension values, names), load_public_key and CertificateList. 60 kB take
       0.8 s, 128 kB 7 s, 1 MB minutes; the CLI accepts 16 MiB files.
BUG-5  (slow) asn1/der.py signed_parts lists every child of the outer SEQUENCE before checking
       there are three: a SEQUENCE of 4 M empty elements (8 MiB) takes seconds in Certificate and
       CertificateList (16 MiB, the CLI's limit: ~10 s; load_public_key: ~20 s).
BUG-6  crypto/registry.py _pss_params (after the BUG-2 fix) catches only ValueError around
       ``RSASSAPSSParams.native``: SEQUENCE { [10] {} } raises TypeError, SEQUENCE { SEQUENCE { [3] {} } }
       IndexError, out of ``registry.verify_signature`` and ``Verifier.verify_certificate``.

BUG-3..6 are fixed by: der.load (every asn1crypto parse of outside bytes first walks the value with
bounded tag, OID-arc and depth limits), size caps in the crypto registry, signed_parts reading
three headers only, and one DECODER_ERRORS tuple (errors.py) caught wherever a decoder meets bytes.
"""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

import pytest
from asn1crypto import pem

from certmutual.asn1 import der, extensions
from certmutual.cli import main
from certmutual.crypto import registry
from certmutual.crypto.oids import SIG_OID
from certmutual.errors import InvalidSignature, MalformedInput, UnsupportedAlgorithm
from certmutual.pki.certificate import Certificate
from certmutual.results import ReasonCode, VerificationResult
from tests.cli.runner import CliRun, assert_contract
from tests.fuzz.mutations import tlv
from tests.fuzz.seeds import TIME_LIMIT, built_seeds
from tests.pki_factory import REF_TIME

BUILT = built_seeds()
SM2_CHAIN, RSA_CHAIN = BUILT.chains[0], BUILT.chains[1]

EMPTY_NAME = bytes.fromhex("3000")
SHORT_NAME = bytes.fromhex("300d310b300906035504030c024341")  # CN=CA
# SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, UTF8String claiming 118 bytes, 117 present } } }:
# 128 content octets, so the Name's header is 30 81 80 (asn1crypto takes a trailing 0x80 for "indefinite").
BAD_128_NAME = tlv(0x30, tlv(0x31, tlv(0x30, bytes.fromhex("0603550403") + b"\x0c\x76" + b"A" * 117)))


def minimal_certificate(*, subject: bytes, issuer: bytes, extensions_der: bytes = b"") -> bytes:
    """The smallest certificate Certificate() accepts: algorithm 1.2 and an empty signature."""
    algorithm = bytes.fromhex("3003060102")
    validity = tlv(0x30, tlv(0x17, b"250101000000Z") + tlv(0x17, b"260101000000Z"))
    version = tlv(0xA0, b"\x02\x01\x02") if extensions_der else b""
    tbs = tlv(0x30, version + b"\x02\x01\x01" + algorithm + issuer + validity + subject + EMPTY_NAME + extensions_der)
    return tlv(0x30, tbs + algorithm + b"\x03\x01\x00")


def assert_clear_answer(result: object) -> None:
    assert isinstance(result, VerificationResult)
    assert not result.accepted and all(code in ReasonCode for code in result.codes)


# -- BUG-1 ----------------------------------------------------------------------------------------

BAD_SUBJECT = minimal_certificate(subject=BAD_128_NAME, issuer=SHORT_NAME)
BAD_ISSUER = minimal_certificate(subject=EMPTY_NAME, issuer=BAD_128_NAME)


def test_bug1_inputs_are_what_they_claim() -> None:
    assert BAD_128_NAME[:3] == b"\x30\x81\x80" and len(BAD_128_NAME) == 131
    assert Certificate(BAD_SUBJECT).subject_der == BAD_128_NAME
    assert Certificate(BAD_ISSUER).issuer_der == BAD_128_NAME
    assert BAD_ISSUER.hex() == (
        "3081ba3081af0201013003060102308180317e307c06035504030c76" + "41" * 117
        + "301e170d3235303130313030303030305a170d3236303130313030303030305a300030003003060102030100")


def test_bug1_name_properties_of_a_malformed_name() -> None:
    """Was ValueError from name_key's / names_equivalent's ``name.dump()`` fallback."""
    cert = Certificate(BAD_SUBJECT)
    assert isinstance(cert.subject_key, str) and isinstance(cert.issuer_key, str)
    assert cert.is_self_issued is False
    assert isinstance(Certificate(BAD_ISSUER).issuer_key, str)


def test_bug1_verifier_on_a_leaf_with_a_malformed_issuer_name() -> None:
    """Was ValueError: path building looks the issuer up by ``issuer_key``."""
    assert_clear_answer(BUILT.verifier().verify_certificate(BAD_ISSUER, at=REF_TIME))


def test_bug1_verifier_with_a_malformed_untrusted_certificate() -> None:
    """Was ValueError: ``CertificatePool.add`` reads the untrusted certificate's ``subject_key``."""
    result = BUILT.verifier().verify_certificate(SM2_CHAIN.leaf.der, at=REF_TIME, untrusted=[BAD_SUBJECT])
    assert isinstance(result, VerificationResult) and result.accepted, result.to_dict()


# -- BUG-2 ----------------------------------------------------------------------------------------

SHA256_ID = "300d06096086480165030402010500"
MGF1_SHA256 = "a11c301a06092a864886f70d010108" + SHA256_ID
PSS_PARAMETERS = {
    # SEQUENCE { [1] { mgf1 } }: MGF1 without its hash AlgorithmIdentifier
    "mgf1-without-hash": "300fa10d300b06092a864886f70d010108",  # was TypeError
    # SEQUENCE { [0] sha256, [1] mgf1(sha256), [2] saltLength -1 }
    "negative-salt": "3034a00f" + SHA256_ID + MGF1_SHA256 + "a2030201ff",  # was ValueError
    # SEQUENCE { [0] sha256, [1] mgf1(sha256), [2] saltLength 2**31 }
    "salt-2**31": "3038a00f" + SHA256_ID + MGF1_SHA256 + "a20702050080000000",  # was OverflowError
}


@pytest.mark.parametrize("case", sorted(PSS_PARAMETERS))
def test_bug2_verify_signature_with_odd_pss_parameters(case: str) -> None:
    key = registry.load_public_key(RSA_CHAIN.intermediate.spki)
    with pytest.raises((InvalidSignature, UnsupportedAlgorithm, MalformedInput)):
        registry.verify_signature(key, SIG_OID.RSA_PSS, bytes.fromhex(PSS_PARAMETERS[case]), b"\x01" * 256, b"data")


def leaf_with_pss(parameters_hex: str) -> bytes:
    """The RSA chain's leaf with RSASSA-PSS (and these parameters) as its algorithm, in both places;
    the old signature is kept: the parameters are read before any signature maths."""
    algorithm = tlv(0x30, bytes.fromhex("06092a864886f70d01010a") + bytes.fromhex(parameters_hex))
    tbs, _, signature = der.signed_parts(RSA_CHAIN.leaf.der)
    _, start, end = der.read_header(tbs, 0)
    fields = [tbs[s:e] for s, e, _ in der.children(tbs, start, end)]
    fields[2] = algorithm  # version, serialNumber, signature
    return tlv(0x30, tlv(0x30, b"".join(fields)) + algorithm + signature)


def test_bug2_verifier_on_a_leaf_with_a_negative_pss_salt() -> None:
    """Was ValueError from ``padding.PSS(salt_length=-1)``."""
    assert_clear_answer(BUILT.verifier().verify_certificate(leaf_with_pss(PSS_PARAMETERS["negative-salt"]), at=REF_TIME))


# -- BUG-3 ----------------------------------------------------------------------------------------


def test_bug3_dns_names_with_a_non_ascii_name() -> None:
    try:
        extensions.dns_names(bytes.fromhex("3011820ff7") + b"ww.example.com")
    except MalformedInput:
        pass


# -- BUG-4, BUG-5: time ----------------------------------------------------------------------------


def elapsed(call, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    try:
        call(*args, **kwargs)
    except (MalformedInput, UnsupportedAlgorithm):
        pass
    return time.perf_counter() - start


HIGH_TAG_BOMB = tlv(0x30, b"\x1f" + b"\xff" * 60_000 + b"\x01\x00")
"""SEQUENCE { [UNIVERSAL <a 420,000-bit tag number>] (empty) }: 60 kB."""
SMALL_INPUT_LIMIT = 0.1
"""Seconds for the 60 kB bomb. The house bound is 1 s for any input up to the CLI's 16 MiB; time that
grows at least linearly with size must then stay far below it at 1/280 of that size. Measured on two
cores: 0.2 s at 30 kB, 0.8 s at 60 kB, 2.4 s at 90 kB, 7 s at 128 kB (at least quadratic)."""


def test_bug4_verifier_on_a_high_tag_number_bomb() -> None:
    extension = tlv(0x30, tlv(0x06, bytes.fromhex("551d1f")) + tlv(0x04, HIGH_TAG_BOMB))
    leaf = minimal_certificate(subject=EMPTY_NAME, issuer=SHORT_NAME, extensions_der=tlv(0xA3, tlv(0x30, extension)))
    verifier = BUILT.verifier()
    assert elapsed(verifier.verify_certificate, leaf, at=REF_TIME) < SMALL_INPUT_LIMIT


def test_bug4_load_public_key_on_a_high_tag_number_bomb() -> None:
    assert elapsed(registry.load_public_key, HIGH_TAG_BOMB) < SMALL_INPUT_LIMIT


def test_bug5_signed_parts_on_millions_of_elements() -> None:
    """8 MiB is half the CLI's limit; the time is linear in the element count, so half the 1 s budget."""
    size = 8 * 1024 * 1024
    data = b"\x30\x84" + (size - 6).to_bytes(4, "big") + bytes(size - 6)
    assert elapsed(der.signed_parts, data) < TIME_LIMIT / 2


# -- BUG-6 ----------------------------------------------------------------------------------------

ODD_PSS_PARAMETERS = {
    "unknown-field": ("3002aa00", TypeError),  # SEQUENCE { [10] EXPLICIT (empty) }
    "untagged-sequence": ("30043002a300", IndexError),  # SEQUENCE { SEQUENCE { [3] EXPLICIT (empty) } }
}


@pytest.mark.parametrize("case", list(ODD_PSS_PARAMETERS))
def test_bug6_verify_signature_with_unparseable_pss_parameters(case: str) -> None:
    key = registry.load_public_key(RSA_CHAIN.intermediate.spki)
    with pytest.raises((InvalidSignature, UnsupportedAlgorithm, MalformedInput)):
        registry.verify_signature(key, SIG_OID.RSA_PSS, bytes.fromhex(ODD_PSS_PARAMETERS[case][0]), b"\x01" * 256, b"data")


def test_bug6_verifier_on_a_leaf_with_unparseable_pss_parameters() -> None:
    assert_clear_answer(BUILT.verifier().verify_certificate(leaf_with_pss("3002aa00"), at=REF_TIME))


def test_bug6_cli_on_a_leaf_with_unparseable_pss_parameters(tmp_path: Path) -> None:
    leaf, trust, untrusted = tmp_path / "leaf.der", tmp_path / "root.pem", tmp_path / "ca.pem"
    leaf.write_bytes(leaf_with_pss("3002aa00"))
    trust.write_bytes(pem.armor("CERTIFICATE", RSA_CHAIN.root.der))
    untrusted.write_bytes(pem.armor("CERTIFICATE", RSA_CHAIN.intermediate.der))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["verify", str(leaf), "--trust", str(trust), "--untrusted", str(untrusted), "--at", REF_TIME.isoformat()])
    assert_contract(CliRun(code, out.getvalue(), err.getvalue(), usage_error=False))
