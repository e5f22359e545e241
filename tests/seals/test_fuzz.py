"""Fuzzing the seal parsers and verifiers with hypothesis: truncations, bit flips and structure-aware
mutations (``tests.fuzz.mutations``) of seals and seal signatures built here and taken from the
corpus. The parsers may only refuse with :class:`MalformedInput` or :class:`UnsupportedSealFormat`;
the verifiers never raise and always answer with reason codes; each call stays within the fuzz time
limit."""

from __future__ import annotations

import functools

from hypothesis import given
from hypothesis import strategies as st

from certmutual import ReasonCode
from certmutual.errors import MalformedInput
from certmutual.seals import UnsupportedSealFormat, parse, parse_seal, parse_seal_signature, verify_seal, verify_seal_signature
from certmutual.seals.describe import describe
from tests.fuzz.mutations import mutants
from tests.fuzz.seeds import fuzz_settings, timed
from tests.seals import seal_factory as sf
from tests.shared_data import SHARED

REFUSALS = (MalformedInput, UnsupportedSealFormat)
VOCABULARY = set(ReasonCode)


@functools.lru_cache(maxsize=1)
def seeds() -> tuple[bytes, ...]:
    built = [sf.seal("v1"), sf.seal("v4", cert_list_type=2), sf.seal("v5", timestamp=True),
             sf.signature(version="v1"), sf.signature(version="v4", timestamp=True, extensions=[("1.2.3", True, b"x")]),
             sf.signature(version="v5"), sf.signature(version="v1", time_form="iso", octet_data_hash=True)]
    corpus = SHARED / "corpus"
    small = [p for p in sorted((corpus / "seals").rglob("*")) + sorted((corpus / "signatures").rglob("*"))
             if p.is_file() and p.suffix != ".xml" and p.stat().st_size < 12_000] if corpus.exists() else []
    return tuple(built + [p.read_bytes() for p in small])


@functools.lru_cache(maxsize=1)
def signed_seeds() -> tuple[bytes, ...]:
    """Built once: SM2 signatures are randomised, and hypothesis needs the same seeds every run."""
    return tuple(sf.signature(version=v) for v in ("v1", "v4"))


def _parses_or_refuses(data: bytes) -> None:
    for reader in (parse, parse_seal, parse_seal_signature):
        try:
            value = timed(reader, data)
        except REFUSALS:
            continue
        if reader is parse:
            describe(value)


@fuzz_settings(300)
@given(data=st.data())
def test_truncations_are_refused_cleanly(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(seeds()))
    cut = data.draw(st.integers(0, len(seed) - 1))
    for reader in (parse, parse_seal, parse_seal_signature):
        try:
            timed(reader, seed[:cut])
        except REFUSALS:
            pass
        else:
            raise AssertionError(f"a {cut}-byte prefix of a {len(seed)}-byte seal parsed")


@fuzz_settings(300)
@given(data=st.data())
def test_bit_flips_parse_or_are_refused(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(seeds()))
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(seed) - 1), st.integers(0, 7)), min_size=1, max_size=4))
    mutated = seed
    for offset, bit in flips:
        mutated = sf.flip_bit(mutated, offset, bit)
    _parses_or_refuses(mutated)


@fuzz_settings(300)
@given(data=st.data())
def test_structural_mutations_parse_or_are_refused(data: st.DataObject) -> None:
    _parses_or_refuses(data.draw(mutants(seeds())))


def _check_verdict(result: object) -> None:
    codes = getattr(result, "codes")
    assert codes and set(codes) <= VOCABULARY
    getattr(result, "to_dict")()


@fuzz_settings(150)
@given(data=st.data())
def test_verification_never_raises(data: st.DataObject) -> None:
    mutated = data.draw(mutants(seeds()))
    verifier = sf.pki().verifier()
    _check_verdict(timed(verify_seal, mutated, verifier))
    _check_verdict(timed(verify_seal_signature, mutated, verifier, signed_data=sf.DATA))


@fuzz_settings(100)
@given(data=st.data())
def test_flipped_signed_bits_never_verify(data: st.DataObject) -> None:
    """A single flipped bit anywhere in a built signature is never accepted."""
    seed = data.draw(st.sampled_from(signed_seeds()))
    offset = data.draw(st.integers(0, len(seed) - 1))
    bit = data.draw(st.integers(0, 7))
    result = timed(verify_seal_signature, sf.flip_bit(seed, offset, bit), sf.pki().verifier(), signed_data=sf.DATA)
    assert not result.accepted
