"""Deterministic, exhaustive edits of real inputs, and huge or deeply nested inputs.

* Every prefix of a few real certificates, CRLs, keys and PEM files: a strict prefix is refused
  with ``MalformedInput``, the whole input parses.
* Every node of a certificate's TLV tree cut short (last content byte or last child dropped, lengths
  fixed up around it) and every node's length octets replaced by each fault of
  :data:`tests.fuzz.mutations.LENGTH_FAULTS`: parsed or refused with ``MalformedInput``.
* Huge inputs (16 MiB of zeros, headers claiming 2**32 and 2**64 bytes, nine length octets) and
  nesting bombs (100,000 nested headers, definite and indefinite; 10,000 layers around a name, a key
  or an extension value inside a real certificate): refused or handled within the time limit by
  every parser, the Verifier and the command line.

Shapes that are still slow are pinned in ``test_fuzz_findings`` instead (BUG-4, BUG-5).
"""

from __future__ import annotations

import contextlib
import io

import pytest
from asn1crypto import pem

from certmutual.asn1 import der
from certmutual.cli import main
from certmutual.crypto.registry import load_public_key
from certmutual.errors import MalformedInput, UnsupportedAlgorithm
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.loading import MAX_FILE_BYTES, der_blocks
from certmutual.results import ReasonCode
from tests.cli.runner import CliRun, assert_contract
from tests.fuzz.mutations import LENGTH_FAULTS, Node, node_at, node_paths, parse_tree
from tests.fuzz.seeds import built_seeds, corpus_path, timed
from tests.fuzz.oracles import check_certificate
from tests.pki_factory import REF_TIME

BUILT = built_seeds()
MIB = 1024 * 1024

CORPUS_CERTIFICATES = (
    "certs/sm2/real_ca/ROOTCA.pem",
    "certs/sm2/real_ca/CFCA_EV_CA__CFCA_EV_SM2_OCA.cer",
    "certs/sm2/test_ca/tongsuo__sm2-leaf.crt",
)
CORPUS_CRLS = ("crl/ROOTCA.crl", "crl/Civil_Servant_ROOT.crl")


def corpus_der(relative: str) -> bytes:
    data = corpus_path(*relative.split("/")).read_bytes()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return data


def refused(call, *args, allowed=(MalformedInput,)) -> bool:  # type: ignore[no-untyped-def]
    try:
        timed(call, *args)
    except allowed:
        return True
    return False


# -- every prefix --------------------------------------------------------------------------------


def assert_prefixes_refused(parse, whole: bytes) -> None:  # type: ignore[no-untyped-def]
    for length in range(len(whole)):
        assert refused(parse, whole[:length]), f"prefix of {length} of {len(whole)} bytes was accepted"
    timed(parse, whole)


@pytest.mark.parametrize("kind", range(len(BUILT.chains)), ids=[c.kind.value for c in BUILT.chains])
def test_every_prefix_of_builder_certificates(kind: int) -> None:
    chain = BUILT.chains[kind]
    for cert in (chain.leaf, chain.intermediate):
        assert_prefixes_refused(Certificate, cert.der)


@pytest.mark.parametrize("relative", CORPUS_CERTIFICATES)
def test_every_prefix_of_corpus_certificates(relative: str) -> None:
    assert_prefixes_refused(Certificate, corpus_der(relative))


def test_every_prefix_of_builder_crls() -> None:
    for crl in BUILT.crls[:2]:
        assert_prefixes_refused(CertificateList, crl)


@pytest.mark.parametrize("relative", CORPUS_CRLS)
def test_every_prefix_of_corpus_crls(relative: str) -> None:
    assert_prefixes_refused(CertificateList, corpus_der(relative))


def test_every_prefix_of_public_keys() -> None:
    for spki in BUILT.spkis:
        for length in range(len(spki)):
            assert refused(load_public_key, spki[:length], allowed=(MalformedInput, UnsupportedAlgorithm)), length
        assert timed(load_public_key, spki).spki == spki


def test_every_prefix_of_a_pem_file() -> None:
    text = pem.armor("CERTIFICATE", BUILT.leaves[0]) + pem.armor("CERTIFICATE", BUILT.certificates[0])
    for length in range(len(text) + 1):
        try:
            blocks = timed(der_blocks, text[:length], {"CERTIFICATE"})
        except MalformedInput:
            continue
        for block in blocks:
            refused(Certificate, block)


def test_verifier_on_every_prefix_of_a_leaf() -> None:
    verifier = BUILT.verifier()
    leaf = BUILT.chains[0].leaf.der
    for length in range(len(leaf)):
        result = timed(verifier.verify_certificate, leaf[:length], at=REF_TIME)
        assert result.codes == (ReasonCode.MALFORMED,), (length, result.to_dict())
    assert timed(verifier.verify_certificate, leaf, at=REF_TIME).accepted


# -- every node of the tree --------------------------------------------------------------------------


def tree_variants(data: bytes):  # type: ignore[no-untyped-def]
    """For every node: the node cut short, then the node under every length fault (lengths around it fixed)."""
    tree = parse_tree(data)
    for path in node_paths(tree):
        root = tree.clone()
        node = node_at(root, path)
        if node.children:
            node.children.pop()
        elif node.content:
            node.content = node.content[:-1]
        yield root.encode()
        for fault in LENGTH_FAULTS:
            root = tree.clone()
            node_at(root, path).length_edit = fault
            yield root.encode()


@pytest.mark.parametrize("kind", range(len(BUILT.chains)), ids=[c.kind.value for c in BUILT.chains])
def test_every_node_cut_short_or_with_a_bad_length(kind: int) -> None:
    count = 0
    for variant in tree_variants(BUILT.chains[kind].leaf.der):
        check_certificate(variant)
        count += 1
    assert count > 500


def test_every_crl_node_cut_short_or_with_a_bad_length() -> None:
    for variant in tree_variants(BUILT.crls[0]):
        refused(CertificateList, variant)


# -- huge inputs and nesting bombs -----------------------------------------------------------------------


def nested_definite(layers: int) -> bytes:
    """``layers`` SEQUENCEs, each holding the next, with 4-byte lengths (6 bytes a layer)."""
    return b"".join(b"\x30\x84" + (6 * (layers - i - 1)).to_bytes(4, "big") for i in range(layers))


def wrapped(cert_der: bytes, path: tuple[int, ...], layers: int, indefinite: bool = False) -> bytes:
    """``cert_der`` with the node at ``path`` inside ``layers`` SEQUENCE headers (lengths fixed up)."""
    root = parse_tree(cert_der)
    node_at(root, path).wrap = (b"\x30", layers, indefinite)
    return root.encode()


def _extension_path(cert_der: bytes, oid_hex: str) -> tuple[int, ...]:
    """Path to the DER inside extnValue of the extension ``oid_hex``."""
    tree = parse_tree(cert_der)
    tbs = tree.children[0]  # type: ignore[index]
    ext_index = next(i for i, c in enumerate(tbs.children) if c.tag == b"\xa3")  # type: ignore[union-attr]
    extensions = tbs.children[ext_index].children[0]  # type: ignore[index,union-attr]
    for index, ext in enumerate(extensions.children):  # type: ignore[union-attr]
        if ext.children[0].content.hex() == oid_hex:  # type: ignore[index]
            return (0, ext_index, 0, index, len(ext.children) - 1, 0)  # type: ignore[arg-type]
    raise AssertionError(f"no extension {oid_hex}")


LEAF = BUILT.leaves[1]  # SM2 leaf with CRL distribution points, AIA and a SAN of every form
SUBJECT, SPKI = (0, 5), (0, 6)

BOMBS = {
    "zeros-16MiB": lambda: bytes(16 * MIB),
    "claims-2**32": lambda: b"\x30\x84\xff\xff\xff\xff" + LEAF,
    "claims-2**64": lambda: b"\x30\x88" + b"\xff" * 8 + LEAF,
    "nine-length-octets": lambda: b"\x30\x89\x01" + bytes(8) + LEAF,
    "indefinite": lambda: b"\x30\x80" + LEAF + b"\x00\x00",
    "nested-definite-100k": lambda: nested_definite(100_000),
    "nested-indefinite-100k": lambda: b"\x30\x80" * 100_000 + b"\x00\x00" * 100_000,
    "subject-in-10k-sequences": lambda: wrapped(LEAF, SUBJECT, 10_000),
    "spki-in-10k-sequences": lambda: wrapped(LEAF, SPKI, 10_000),
    "crl-dp-in-10k-sequences": lambda: wrapped(LEAF, _extension_path(LEAF, "551d1f"), 10_000),
    "aia-in-10k-indefinite": lambda: wrapped(LEAF, _extension_path(LEAF, "2b06010505070101"), 10_000, True),
    "san-in-10k-sequences": lambda: wrapped(LEAF, _extension_path(LEAF, "551d11"), 10_000),
}


@pytest.fixture(scope="module", params=sorted(BOMBS))
def bomb(request: pytest.FixtureRequest) -> bytes:
    return BOMBS[request.param]()


def test_bombs_in_the_der_reader(bomb: bytes) -> None:
    refused(der.signed_parts, bomb)
    refused(der.read_header, bomb, 0)


def test_bombs_as_certificates(bomb: bytes) -> None:
    check_certificate(bomb)


def test_bombs_as_crls(bomb: bytes) -> None:
    refused(CertificateList, bomb)


def test_bombs_as_public_keys(bomb: bytes) -> None:
    refused(load_public_key, bomb, allowed=(MalformedInput, UnsupportedAlgorithm))


def test_bombs_as_files(bomb: bytes) -> None:
    refused(der_blocks, bomb, {"CERTIFICATE"})


def test_bombs_in_the_verifier(bomb: bytes) -> None:
    result = timed(BUILT.verifier().verify_certificate, bomb, at=REF_TIME)
    assert all(code in ReasonCode for code in result.codes)
    assert not result.accepted


def test_a_16_mib_certificate_that_is_valid() -> None:
    """A huge extension does not make a valid certificate slow (P-256: hashing is in C)."""
    from certmutual.pki.builder import RawExtension

    chain = BUILT.chains[2]
    size = MAX_FILE_BYTES - 4096
    leaf = chain.issue_leaf(extra_extensions=[RawExtension("1.3.6.1.4.1.99999.1", False, b"\x04\x84" + (size).to_bytes(4, "big") + bytes(size))])
    result = timed(BUILT.verifier().verify_certificate, leaf.der, at=REF_TIME)
    assert result.accepted, result.to_dict()


@pytest.mark.parametrize("size", [16 * MIB, MAX_FILE_BYTES + 1])
def test_cli_on_huge_files(tmp_path, size: int) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "huge.der"
    path.write_bytes(b"\x30\x84" + (size - 6).to_bytes(4, "big") + b"\x04\x84" + (size - 12).to_bytes(4, "big") + bytes(size - 12))
    trust = tmp_path / "trust.pem"
    trust.write_bytes(pem.armor("CERTIFICATE", BUILT.chains[0].root.der))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = timed(main, ["verify", str(path), "--trust", str(trust)])
    assert_contract(CliRun(code, out.getvalue(), err.getvalue(), usage_error=False))
    assert code == 2


def test_fixtures_cover_their_targets() -> None:
    """The wrapped bombs really wrap what they claim to (the paths point at the right nodes)."""
    tree = parse_tree(LEAF)
    assert node_at(tree, SUBJECT).encode() == Certificate(LEAF).subject_der
    assert node_at(tree, SPKI).encode() == Certificate(LEAF).spki
    crl_dp = node_at(tree, _extension_path(LEAF, "551d1f"))
    assert isinstance(crl_dp, Node) and crl_dp.tag == b"\x30"
