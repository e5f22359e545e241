"""Fuzzing the façade and the command line: ``Verifier.verify_certificate`` never raises for any bytes,
and ``certmutual`` exits 0, 1 or 2 without a traceback.

Three depths of input: byte-level mutants of real certificates (mostly refused as ``malformed``),
certificates whose TBS was mutated and then *re-signed by the real issuer key* (so validation gets
past the signature and runs every path check on odd content), and leaves re-signed under fuzzed
AlgorithmIdentifiers. Every result must use only the :class:`ReasonCode` vocabulary. See
``test_parser_fuzz`` for the seeds, the mutations and ``CERTMUTUAL_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import base64
import contextlib
import io

import pytest
from asn1crypto import core, pem
from hypothesis import given
from hypothesis import strategies as st

from certmutual import Policy, Verifier
from certmutual.asn1 import der
from certmutual.cli import main
from certmutual.crypto.registry import ALGORITHMS
from certmutual.crypto.oids import SIG_OID
from certmutual.pki.builder import KeyKind
from certmutual.pki.crl import CertificateList
from certmutual.errors import MalformedInput
from certmutual.pki.certificate import Certificate
from certmutual.results import VerificationResult
from tests.cli.runner import CliRun, assert_contract, check_result_json
from tests.fuzz.mutations import OIDS, mutants, mutate, tlv
from tests.fuzz.oracles import check_result
from tests.fuzz.seeds import Seeds, built_seeds, corpus_certificates, fuzz_settings, timed
from tests.pki_factory import REF_TIME, TestChain

BUILT = built_seeds()
CHAINS = BUILT.chains + (BUILT.constrained,)
VERIFY_LIMIT = 2.0
"""Seconds one verification may take (it checks signatures; parsing alone has 1 s)."""


def verify(verifier: Verifier, leaf: bytes, untrusted: tuple[bytes, ...] = ()) -> VerificationResult:
    """``verify_certificate`` must return for any bytes: an exception escaping it fails the test."""
    return check_result(timed(verifier.verify_certificate, leaf, at=REF_TIME, untrusted=untrusted, limit=VERIFY_LIMIT))


def resign(tbs: bytes, signer: object, algorithm: bytes) -> bytes:
    """A certificate around ``tbs`` signed by ``signer`` (a builder SigningKey), ``algorithm`` outside."""
    signature = signer.sign(tbs)  # type: ignore[attr-defined]
    return tlv(0x30, tbs + algorithm + tlv(0x03, b"\x00" + signature))


def signed_leaves() -> list[tuple[TestChain, bytes]]:
    """(chain, leaf DER) for every builder leaf, paired with the chain whose intermediate issued it."""
    pairs = []
    for leaf in BUILT.leaves:
        issuer = Certificate(leaf).issuer_der
        pairs.extend((chain, leaf) for chain in BUILT.chains if chain.intermediate.subject_der == issuer)
    pairs.append((BUILT.constrained, BUILT.constrained.leaf.der))
    return pairs


SIGNED_LEAVES = signed_leaves()


# -- byte-level mutants ----------------------------------------------------------------------------------


@fuzz_settings(600)
@given(leaf=mutants(BUILT.leaves + tuple(c.intermediate.der for c in CHAINS)),
       extra=st.one_of(st.none(), mutants(tuple(c.intermediate.der for c in CHAINS))))
def test_verifier_never_raises_on_fuzzed_leaves(leaf: bytes, extra: bytes | None) -> None:
    result = verify(BUILT.verifier(), leaf, () if extra is None else (extra,))
    if result.accepted:
        Certificate(leaf)  # only a parseable certificate can be accepted


@pytest.fixture(scope="module")
def corpus_verifier() -> tuple[Verifier, Seeds]:
    """The corpus certificates, and a Verifier trusting the corpus's self-issued CA certificates (the
    national ROOTCA among them) with its other CA certificates as intermediates."""
    blocks = corpus_certificates()
    parsed = []
    for block in blocks:
        with contextlib.suppress(MalformedInput):
            parsed.append(Certificate(block))
    anchors = [c for c in parsed if c.is_ca and c.is_self_issued]
    intermediates = [c for c in parsed if c.is_ca and not c.is_self_issued]
    return Verifier(anchors, intermediates=intermediates), Seeds(blocks)


@fuzz_settings(300)
@given(data=st.data())
def test_verifier_never_raises_on_fuzzed_corpus_certificates(corpus_verifier: tuple[Verifier, Seeds], data: st.DataObject) -> None:
    verifier, seeds = corpus_verifier
    verify(verifier, data.draw(mutants(seeds.blocks), label="leaf"))


# -- re-signed mutants: past the signature, into the path checks ------------------------------------------


@st.composite
def resigned_mutants(draw: st.DrawFn) -> tuple[Verifier, bytes, tuple[bytes, ...]]:
    """A leaf or an intermediate whose TBS was mutated and re-signed by its real issuer."""
    chain, leaf = draw(st.sampled_from(SIGNED_LEAVES), label="chain and leaf")
    mutate_intermediate = draw(st.booleans(), label="mutate the intermediate")
    target, signer = (chain.intermediate.der, chain.root_key) if mutate_intermediate else (leaf, chain.intermediate_key)
    tbs, algorithm, _ = der.signed_parts(target)
    new_tbs = draw(mutate(tbs, max_tree_edits=3, max_raw_edits=0), label="tbs")
    signed = resign(new_tbs, signer, algorithm)
    if mutate_intermediate:  # the mutated intermediate is the only one offered
        return Verifier([c.root for c in BUILT.chains]), leaf, (signed,)
    return BUILT.verifier(), signed, ()


@fuzz_settings(800)
@given(case=resigned_mutants())
def test_verifier_never_raises_on_resigned_mutants(case: tuple[Verifier, bytes, tuple[bytes, ...]]) -> None:
    verifier, leaf, untrusted = case
    verify(verifier, leaf, untrusted)


@st.composite
def resigned_crls(draw: st.DrawFn) -> tuple[TestChain, list[CertificateList]]:
    """A chain's two CRLs (from its intermediate and from its root), one of them mutated in its TBS
    and re-signed by the real CRL issuer. A mutant that does not parse is left out: the loader would
    refuse it before any Verifier sees it."""
    chain = draw(st.sampled_from(BUILT.chains), label="chain")
    revoked = draw(st.sampled_from(((), ((chain.leaf.serial, REF_TIME),), ((chain.leaf.serial, REF_TIME), (2**64, REF_TIME)))),
                   label="revoked")
    crls = [chain.crl("intermediate", revoked=revoked), chain.crl("root")]
    index = draw(st.integers(0, 1), label="mutated CRL")
    tbs, algorithm, _ = der.signed_parts(crls[index].der)
    new_tbs = draw(mutate(tbs, max_tree_edits=3, max_raw_edits=0), label="tbs")
    try:
        crls[index] = CertificateList(resign(new_tbs, chain.intermediate_key if index == 0 else chain.root_key, algorithm))
    except MalformedInput:
        del crls[index]
    return chain, crls


@fuzz_settings(300)
@given(case=resigned_crls(), require_revocation=st.booleans())
def test_verifier_never_raises_on_resigned_crls(case: tuple[TestChain, list[CertificateList]], require_revocation: bool) -> None:
    chain, crls = case
    verifier = Verifier([chain.root], intermediates=[chain.intermediate], policy=Policy(require_revocation=require_revocation))
    check_result(timed(verifier.verify_certificate, chain.leaf.der, at=REF_TIME, crls=crls, limit=VERIFY_LIMIT))


def _oid_der(dotted: str) -> bytes:
    return core.ObjectIdentifier(dotted).dump()


@st.composite
def algorithm_identifiers(draw: st.DrawFn, oids: tuple[str, ...]) -> bytes:
    """An AlgorithmIdentifier: a registered (or odd) OID with absent, NULL or fuzzed parameters."""
    oid = draw(st.one_of(st.sampled_from(oids).map(_oid_der), st.sampled_from(OIDS).map(lambda c: tlv(0x06, c))),
               label="algorithm")
    parameters = draw(st.one_of(
        st.just(b""), st.just(b"\x05\x00"), st.just(b"\x05\x01\x00"), st.just(b"\x30\x00"),
        mutants((b"\x05\x00", _oid_der("1.2.156.10197.1.301"), bytes.fromhex("300d06096086480165030402010500"))),
    ), label="parameters")
    return tlv(0x30, oid + parameters)


def _with_signature_algorithm(tbs: bytes, algorithm: bytes) -> bytes:
    """``tbs`` with its ``signature`` field (the one after the serial number) replaced."""
    _, start, end = der.read_header(tbs, 0)
    fields = [tbs[s:e] for s, e, _ in der.children(tbs, start, end)]
    fields[2 if fields[0][:1] == b"\xa0" else 1] = algorithm
    return tlv(0x30, b"".join(fields))


@fuzz_settings(300)
@given(pair=st.sampled_from(SIGNED_LEAVES), algorithm=algorithm_identifiers(tuple(ALGORITHMS)))
def test_verifier_never_raises_on_fuzzed_signature_algorithms(pair: tuple[TestChain, bytes], algorithm: bytes) -> None:
    chain, leaf = pair
    tbs, _, _ = der.signed_parts(leaf)
    verify(BUILT.verifier(), resign(_with_signature_algorithm(tbs, algorithm), chain.intermediate_key, algorithm))


HASH_OIDS = ("1.3.14.3.2.26", "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3",
             "2.16.840.1.101.3.4.2.4", "1.2.156.10197.1.401", "1.2.840.113549.2.5", "1.2.840.113549.1.1.8")


@st.composite
def pss_parameters(draw: st.DrawFn) -> bytes:
    """RSASSA-PSS-params (RFC 4055) with every field optional and odd values in each."""
    def hash_identifier() -> bytes:
        oid = _oid_der(draw(st.sampled_from(HASH_OIDS), label="hash"))
        return tlv(0x30, oid + draw(st.sampled_from((b"", b"\x05\x00", b"\x30\x00")), label="hash parameters"))

    def integer() -> bytes:
        return tlv(0x02, draw(st.one_of(
            st.integers(-(2**70), 2**70).map(lambda n: n.to_bytes((n.bit_length() + 8) // 8, "big", signed=True)),
            st.binary(max_size=9)), label="integer"))

    fields = b""
    if draw(st.booleans(), label="hashAlgorithm"):
        fields += tlv(0xA0, hash_identifier())
    if draw(st.booleans(), label="maskGenAlgorithm"):
        mgf = draw(st.sampled_from(("1.2.840.113549.1.1.8", "1.2.840.113549.1.1.7")), label="mgf")
        fields += tlv(0xA1, tlv(0x30, _oid_der(mgf) + (hash_identifier() if draw(st.booleans(), label="mgf hash") else b"")))
    if draw(st.booleans(), label="saltLength"):
        fields += tlv(0xA2, integer())
    if draw(st.booleans(), label="trailerField"):
        fields += tlv(0xA3, integer())
    params = tlv(0x30, fields)
    return draw(mutate(params), label="edited parameters") if draw(st.integers(0, 4), label="edit") == 4 else params


@fuzz_settings(200)
@given(pair=st.sampled_from([(chain, leaf) for chain, leaf in SIGNED_LEAVES if chain.kind is KeyKind.RSA2048]),
       parameters=pss_parameters())
def test_verifier_never_raises_on_fuzzed_pss_parameters(pair: tuple[TestChain, bytes], parameters: bytes) -> None:
    chain, leaf = pair
    algorithm = tlv(0x30, _oid_der(SIG_OID.RSA_PSS) + parameters)
    tbs, _, _ = der.signed_parts(leaf)
    verify(BUILT.verifier(), resign(_with_signature_algorithm(tbs, algorithm), chain.intermediate_key, algorithm))


# -- the command line --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("cli-fuzz")
    files = {
        "trust": b"".join(pem.armor("CERTIFICATE", c.root.der) for c in BUILT.chains),
        "untrusted": b"".join(pem.armor("CERTIFICATE", c.intermediate.der) for c in BUILT.chains),
        "crl": b"".join(pem.armor("X509 CRL", crl) for crl in BUILT.crls),
        "leaf": pem.armor("CERTIFICATE", BUILT.leaves[0]),
        "data": b"signed data",
        "signature": b"30440220" + b"11" * 32 + b"0220" + b"22" * 32,
    }
    paths = {}
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content)
        paths[name] = str(path)
    paths["fuzzed"] = str(folder / "fuzzed")
    return paths


ROLES = ("cert", "trust", "untrusted", "crl", "public-key", "signature")


@st.composite
def fuzzed_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(the argument the fuzzed file is given as, its content: DER, PEM or base64 of a mutant)."""
    role = draw(st.sampled_from(ROLES), label="role")
    seeds = {"crl": BUILT.crls, "public-key": BUILT.spkis}.get(role, BUILT.certificates)
    content = draw(mutants(seeds), label="der")
    form = draw(st.sampled_from(("der", "pem", "base64")), label="form")
    if form == "pem":
        content = pem.armor("X509 CRL" if role == "crl" else "PUBLIC KEY" if role == "public-key" else "CERTIFICATE", content)
    elif form == "base64":
        content = base64.encodebytes(content)
    return role, content


@fuzz_settings(300)
@given(case=fuzzed_files(), as_json=st.booleans())
def test_cli_never_raises_on_fuzzed_files(cli_files: dict[str, str], case: tuple[str, bytes], as_json: bool) -> None:
    role, content = case
    with open(cli_files["fuzzed"], "wb") as handle:
        handle.write(content)
    f = cli_files
    if role in ("public-key", "signature"):
        argv = ["verify-signature", "--data", f["data"],
                "--public-key" if role == "public-key" else "--cert", f["fuzzed"] if role == "public-key" else f["leaf"],
                "--signature", f["fuzzed"] if role == "signature" else f["signature"]]
    else:
        argv = ["verify", f["fuzzed"] if role == "cert" else f["leaf"],
                "--trust", f["fuzzed"] if role == "trust" else f["trust"],
                "--untrusted", f["fuzzed"] if role == "untrusted" else f["untrusted"],
                "--crl", f["fuzzed"] if role == "crl" else f["crl"], "--at", REF_TIME.isoformat()]
    if as_json:
        argv.append("--json")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = timed(main, argv, limit=VERIFY_LIMIT)  # an exception escaping main fails the test
    run = CliRun(code, out.getvalue(), err.getvalue(), usage_error=False)
    assert_contract(run)
    if as_json and code in (0, 1):
        check_result_json(run.json(), exit_code=code)
