"""Mutation fuzzing of certmutual's parsers: bad input gets a clear answer, never a traceback or a hang.

Seeds are real inputs: certificates, CRLs and keys issued by :mod:`certmutual.pki.builder` (SM2,
RSA-2048, P-256) and the real corpus under ``$CERTMUTUAL_SHARED/corpus/certs`` and ``corpus/crl``
(tests on the corpus skip when it is absent). Mutations (see :mod:`tests.fuzz.mutations`) are
structure-aware tree edits with lengths fixed up (duplicate, delete, swap, splice, retag, new content,
tampered lengths: 0x80 indefinite, 0x84/0x88 long forms, 4 GiB claims; nesting bombs of thousands of
headers) followed by raw byte edits (bit flips, byte replacement, insertion, deletion, truncation).

Each parser may only answer with its documented exception (``MalformedInput``; also
``UnsupportedAlgorithm`` for keys) and each call must finish within ``seeds.TIME_LIMIT`` (1 s),
measured with ``time.perf_counter``.

The fuzz modules in this folder run deterministically (``derandomize=True``, no example database)
in well under a minute on two cores: this one (the parsers), ``test_verifier_fuzz`` (the Verifier
and the CLI), ``test_truncation_and_bombs`` (exhaustive prefixes and length faults, huge inputs,
nesting bombs) and ``test_fuzz_findings`` (minimal reproducers of what was found).
For a longer local run, raise the number of examples of every fuzz test::

    CERTMUTUAL_FUZZ_EXAMPLES=20000 python -m pytest tests/fuzz -q

``CERTMUTUAL_FUZZ_EXAMPLES=N`` makes each Hypothesis test run at least N examples (below its CI
default it changes nothing). Runs stay deterministic for a given N.
"""

from __future__ import annotations

import base64
import datetime

import pytest
from asn1crypto import pem
from hypothesis import given
from hypothesis import strategies as st

from certmutual.asn1 import der, extensions
from certmutual.crypto.registry import KeyType, load_public_key
from certmutual.errors import MalformedInput, UnsupportedAlgorithm
from certmutual.pki.certificate import Certificate
from certmutual.pki.loading import der_blocks
from tests.fuzz.mutations import OIDS, TIMES, mutants, mutate
from tests.fuzz.oracles import check_certificate, check_crl, refused_or
from tests.fuzz.seeds import Seeds, built_seeds, corpus_certificates, corpus_crls, fuzz_settings

BUILT = built_seeds()
ALL_BUILT = BUILT.certificates + BUILT.crls + BUILT.spkis


# -- certmutual.asn1.der ------------------------------------------------------------------------


@fuzz_settings(400)
@given(data=mutants(ALL_BUILT), offset=st.integers(0, 8), limit_cut=st.integers(0, 4))
def test_der_reader_only_raises_malformed(data: bytes, offset: int, limit_cut: int) -> None:
    header = refused_or(der.read_header, data, 0)
    if header is not None:
        tag, start, end = header
        assert tag == data[0] and 2 <= start <= end <= len(data)
    limit = max(0, len(data) - limit_cut)
    header = refused_or(lambda: der.read_header(data, offset, limit))
    if header is not None:
        assert offset + 2 <= header[1] <= header[2] <= limit
    items = refused_or(der.elements, data, 0, len(data))
    if items is not None:
        position = 0
        for tag, element_start, content_start, element_end in items:
            assert element_start == position and element_start < content_start <= element_end
            position = element_end
        assert position == len(data)
    kids = refused_or(der.children, data, 0, len(data))
    if kids is not None:
        assert [(s, e, t) for t, s, _, e in items] == kids  # type: ignore[union-attr]
    parts = refused_or(der.signed_parts, data)
    if parts is not None:
        assert len(parts) == 3 and data.endswith(b"".join(parts))
        algorithm = refused_or(der.algorithm_identifier, parts[1])
        if algorithm is not None:
            oid, parameters = algorithm
            assert isinstance(oid, str) and (parameters is None or parts[1].endswith(parameters))
    structure = refused_or(der.signed_structure, data)
    if structure is not None:
        assert parts is not None and structure[0] == parts[0] and parts[2].endswith(structure[3])


@fuzz_settings(300)
@given(encoded=mutants((bytes.fromhex("300d06092a864886f70d01010b0500"), bytes.fromhex("300a06082a811ccf55018375"),
                        bytes.fromhex("300a06082a8648ce3d040302"), bytes.fromhex("3041" "06092a864886f70d01010a" "3034"
                        "a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500"
                        "a203020120"))))
def test_algorithm_identifier_only_raises_malformed(encoded: bytes) -> None:
    found = refused_or(der.algorithm_identifier, encoded)
    if found is not None:
        assert found == der.algorithm_identifier(encoded)  # cached or not, the same answer


@fuzz_settings(400)
@given(content=st.one_of(st.sampled_from(OIDS), st.binary(max_size=40)))
def test_decode_oid_only_raises_malformed(content: bytes) -> None:
    dotted = refused_or(der.decode_oid, content)
    if dotted is not None:
        arcs = dotted.split(".")
        assert len(arcs) >= 2 and all(arc.isdigit() for arc in arcs)


@fuzz_settings(200)
@given(content=st.binary(max_size=64))
def test_decode_integer_only_raises_malformed(content: bytes) -> None:
    value = refused_or(der.decode_integer, content)
    assert value is None or isinstance(value, int)


@fuzz_settings(600)
@given(tag=st.sampled_from((0x17, 0x18)),
       content=st.one_of(st.sampled_from(TIMES), st.binary(max_size=24),
                         st.text(alphabet="0123456789Z+-.,: ", max_size=24).map(str.encode)))
def test_decode_time_only_raises_malformed(tag: int, content: bytes) -> None:
    when = refused_or(der.decode_time, tag, content)
    if when is not None:
        assert isinstance(when, datetime.datetime) and when.tzinfo is not None


# -- certmutual.asn1.extensions -----------------------------------------------------------------

DECODERS = (
    extensions.basic_constraints, extensions.key_usage, extensions.extended_key_usage,
    extensions.subject_key_identifier, extensions.authority_key_identifier,
    extensions.general_names_are_simple, extensions.dns_names,
)
EXTENSION_VALUES = tuple(value for _, value in BUILT.extensions)


@fuzz_settings(500)
@given(value=mutants(EXTENSION_VALUES), decoder=st.sampled_from(DECODERS))
def test_extension_decoders_only_raise_malformed(value: bytes, decoder) -> None:  # type: ignore[no-untyped-def]
    if decoder is extensions.dns_names:
        # Documented precondition: the value passed general_names_are_simple (as Certificate does).
        # Called without it, dns_names raises UnicodeDecodeError: test_fuzz_findings, BUG-3.
        if refused_or(extensions.general_names_are_simple, value) is None:
            return
    refused_or(decoder, value)


# -- certificates -------------------------------------------------------------------------------


@fuzz_settings(1000)
@given(data=mutants(BUILT.certificates))
def test_certificate_fuzz_builder_seeds(data: bytes) -> None:
    check_certificate(data)


@pytest.fixture(scope="module")
def corpus_certs() -> Seeds:
    return Seeds(corpus_certificates())


@fuzz_settings(600)
@given(data=st.data())
def test_certificate_fuzz_corpus_seeds(corpus_certs: Seeds, data: st.DataObject) -> None:
    check_certificate(data.draw(mutants(corpus_certs.blocks), label="mutant"))


# -- CRLs ---------------------------------------------------------------------------------------


@fuzz_settings(400)
@given(data=mutants(BUILT.crls))
def test_crl_fuzz_builder_seeds(data: bytes) -> None:
    check_crl(data)


@pytest.fixture(scope="module")
def corpus_crl_seeds() -> Seeds:
    return Seeds(corpus_crls())


@fuzz_settings(300)
@given(data=st.data())
def test_crl_fuzz_corpus_seeds(corpus_crl_seeds: Seeds, data: st.DataObject) -> None:
    check_crl(data.draw(mutants(corpus_crl_seeds.blocks), label="mutant"))


# -- public keys ---------------------------------------------------------------------------------


def check_public_key(spki: bytes) -> None:
    key = refused_or(load_public_key, spki, allowed=(MalformedInput, UnsupportedAlgorithm))
    if key is not None:
        assert isinstance(key.key_type, KeyType) and key.bits > 0 and key.spki == spki


@fuzz_settings(500)
@given(spki=mutants(BUILT.spkis))
def test_load_public_key_only_raises_malformed_or_unsupported(spki: bytes) -> None:
    check_public_key(spki)


@pytest.fixture(scope="module")
def corpus_spkis(corpus_certs: Seeds) -> Seeds:
    """The distinct SubjectPublicKeyInfos of the corpus certificates (SM2 in both encodings, RSA, ECDSA)."""
    spkis = set()
    for block in corpus_certs.blocks:
        try:
            spkis.add(Certificate(block).spki)
        except MalformedInput:
            continue
    return Seeds(tuple(sorted(spkis)))


@fuzz_settings(300)
@given(data=st.data())
def test_load_public_key_fuzz_corpus_seeds(corpus_spkis: Seeds, data: st.DataObject) -> None:
    check_public_key(data.draw(mutants(corpus_spkis.blocks), label="spki"))


# -- files: PEM, base64, DER ---------------------------------------------------------------------

LABELS = ("CERTIFICATE", "X509 CRL", "TRUSTED CERTIFICATE", "PRIVATE KEY", "CERTIFICATE\x00", "")


@st.composite
def file_contents(draw: st.DrawFn) -> bytes:
    """What a certificate file may hold: DER, PEM (one or several blocks), bare base64; then edited."""
    der_bytes = draw(mutants(BUILT.certificates[:4] + BUILT.crls[:1]), label="der")
    form = draw(st.sampled_from(("der", "pem", "pem2", "base64")), label="form")
    if form == "der":
        return der_bytes
    if form == "base64":
        text = base64.encodebytes(der_bytes)
    else:
        text = pem.armor(draw(st.sampled_from(LABELS), label="label"), der_bytes)
        if form == "pem2":
            text = b"junk before\n" + text + pem.armor("CERTIFICATE", BUILT.certificates[0]) + b"trailing"
    return draw(mutate(text, max_tree_edits=0), label="text") if draw(st.booleans(), label="edit text") else text


@fuzz_settings(500)
@given(data=file_contents())
def test_der_blocks_only_raises_malformed(data: bytes) -> None:
    blocks = refused_or(der_blocks, data, {"CERTIFICATE"})
    if blocks is not None:
        assert isinstance(blocks, list) and all(isinstance(block, bytes) for block in blocks)
