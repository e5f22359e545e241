"""Deviations real seals have (china-specs §4.8, corpus MANIFEST), each built here on its own: read,
reported as one warning with its code, verified over the original bytes; never a crash. ``strict``
turns the warning into a reason."""

from __future__ import annotations

import datetime

import pytest

from certmutual import ReasonCode
from certmutual.asn1.oids import EXT_OID
from certmutual.pki.builder import KeyKind, RawExtension
from certmutual.seals import SealVersion, parse_seal, parse_seal_signature, verify_seal, verify_seal_signature
from certmutual.seals.fields import CHINA_STANDARD_TIME, mojibake_repair, read_time_text
from tests.pki_factory import REF_TIME, get_key, issue, leaf_name
from tests.seals import seal_factory as sf

R = ReasonCode
UTC = datetime.timezone.utc


def warning_codes(result: object) -> set[ReasonCode]:
    return {w.code for w in getattr(result, "warnings")} - {R.REVOCATION_UNKNOWN}


@pytest.mark.parametrize("form", ["no_z", "two_digit", "utc", "utc_four_digit"])
def test_v4_seal_dates_in_other_forms(form: str) -> None:
    p = sf.pki()
    created = sf.SEAL_CREATED.replace(second=0)
    data = sf.seal("v4", time_form=form, created=created)
    seal = parse_seal(data)
    assert seal.info.create_date == created and seal.info.valid_end == sf.SEAL_END.replace(
        second=0 if form == "utc_four_digit" else sf.SEAL_END.second)
    result = verify_seal(data, p.verifier(), at=REF_TIME)
    assert result.accepted and warning_codes(result) == {R.NONSTANDARD_TIME}
    strict = verify_seal(data, p.verifier(), at=REF_TIME, strict=True)
    assert set(strict.codes) == {R.NONSTANDARD_TIME} and not strict.accepted


def test_generalized_time_without_z_is_china_standard_time() -> None:
    seal = parse_seal(sf.seal("v4", time_form="no_z"))
    finding = next(f for f in seal.findings if f.code is R.NONSTANDARD_TIME)
    assert "UTC+8" in finding.message
    assert seal.info.create_date == sf.SEAL_CREATED  # written as local time, read back as the same instant


def test_v1_seal_with_generalized_time() -> None:
    data = sf.seal("v1", time_form="generalized")
    result = verify_seal(data, sf.pki().verifier(), at=REF_TIME)
    assert result.accepted and warning_codes(result) == {R.NONSTANDARD_TIME}


@pytest.mark.parametrize("form", ["no_z", "two_digit", "utc"])
def test_v4_signing_time_in_other_forms(form: str) -> None:
    data = sf.signature(time_form=form)
    result = verify_seal_signature(data, sf.pki().verifier(), signed_data=sf.DATA)
    assert result.accepted and result.signing_time == sf.SIGNED_AT
    assert warning_codes(result) == {R.NONSTANDARD_TIME}


@pytest.mark.parametrize("form", ["text", "iso", "utc_text", "element"])
def test_v1_time_info_forms(form: str) -> None:
    data = sf.signature(version="v1", time_form=form)
    signature = parse_seal_signature(data)
    assert signature.time_info == sf.SIGNED_AT
    result = verify_seal_signature(data, sf.pki().verifier(), signed_data=sf.DATA)
    assert result.accepted and warning_codes(result) == {R.NONSTANDARD_TIME}


def test_v1_time_info_that_is_not_a_time() -> None:
    data = sf.signature(version="v1", time_info=sf.bits(b"\xe5\x90\x8e\xe5\xa4\xa9"))
    result = verify_seal_signature(data, sf.pki().verifier(), signed_data=sf.DATA)
    assert result.signing_time is None and result.time_source is not None and result.time_source.value == "validation"
    assert R.NONSTANDARD_TIME in warning_codes(result)
    token = sf.signature(version="v1", time_info=sf.bits(sf.seq(sf.oid("1.2.840.113549.1.7.2"))))
    assert parse_seal_signature(token).time_info is None


def test_v1_data_hash_as_octet_string() -> None:
    data = sf.signature(version="v1", octet_data_hash=True)
    result = verify_seal_signature(data, sf.pki().verifier(), signed_data=sf.DATA)
    assert result.accepted and R.NONSTANDARD_ENCODING in warning_codes(result)


def test_mojibake_name() -> None:
    garbled = "百望股份".encode("utf-8").decode("gbk")  # "鐧炬湜鑲′唤", as BaiWang seals carry it
    assert mojibake_repair(garbled) == "百望股份"
    assert mojibake_repair("鐧句竾鑲′唤") == "百万股份"  # the MANIFEST's sample (its gloss says 百望)
    data = sf.seal("v4", name=garbled)
    result = verify_seal(data, sf.pki().verifier(), at=REF_TIME)
    assert result.accepted and result.name == garbled
    assert any(w.code is R.GARBLED_TEXT and "百望股份" in w.message for w in result.warnings)
    assert verify_seal(data, sf.pki().verifier(), at=REF_TIME, strict=True).codes == (R.GARBLED_TEXT,)


@pytest.mark.parametrize("name", ["示范科技有限公司", "OFD R&W 测试用印章", "云南省住房和城乡建设厅", "ABC"])
def test_ordinary_names_are_not_mojibake(name: str) -> None:
    assert mojibake_repair(name) is None


def test_gbk_bytes_in_a_utf8_string() -> None:
    data = sf.seal("v4", name_field=sf.tlv(0x0C, "测试印章".encode("gb18030")))
    seal = parse_seal(data)
    assert seal.info.name == "测试印章" and any(f.code is R.GARBLED_TEXT for f in seal.findings)


def test_header_version_that_disagrees_with_the_layout() -> None:
    data = sf.seal("v1", header_version=4)  # what the hbh_00101 invoice seal does
    seal = parse_seal(data)
    assert seal.version is SealVersion.V1 and seal.info.header_version == 4
    result = verify_seal(data, sf.pki().verifier(), at=REF_TIME)
    assert result.accepted and warning_codes(result) == {R.VERSION_MISMATCH}


def test_v4_header_saying_5_is_read_as_v5() -> None:
    assert parse_seal(sf.seal("v4", header_version=5)).version is SealVersion.V5


def test_non_der_signer_certificate_verifies_over_its_bytes() -> None:
    p = sf.pki()
    key = get_key(KeyKind.SM2, "seal-non-der")
    non_der = issue(subject=leaf_name("非DER证书"), subject_key=key, issuer=p.ca, issuer_key=get_key(KeyKind.SM2, "seal-ca"),
                    key_usage={"digital_signature"},
                    extra_extensions=[RawExtension(EXT_OID.BASIC_CONSTRAINTS, True, b"\x30\x03\x01\x01\x00")])
    data = sf.signature(sf.seal("v4", signers=[non_der]), signer=non_der, signer_key=key)
    result = verify_seal_signature(data, p.verifier(), signed_data=sf.DATA)
    assert result.accepted, result.reasons
    assert any(w.code is R.NONSTANDARD_ENCODING and "cA FALSE" in w.message for w in result.warnings)


def test_seal_wrapped_in_an_octet_string() -> None:
    p = sf.pki()
    inner = sf.seal("v4")
    wrapped = parse_seal(sf.octets(inner))
    assert wrapped.der == inner and any("OCTET STRING" in f.message for f in wrapped.findings)
    data = sf.signature(sf.octets(inner))
    result = verify_seal_signature(data, p.verifier(), signed_data=sf.DATA)
    assert result.accepted and R.NONSTANDARD_ENCODING in warning_codes(result)


def test_unsigned_integer_signature_values() -> None:
    """Seal software that writes r and s without the sign octet (the 安证通 seal in the corpus)."""
    p = sf.pki()
    for attempt in range(40):
        data = sf.seal("v4", es_id=f"4403{attempt:010d}", unsigned_signature=True)
        if any("unsigned" in f.message for f in _maker_findings(data)):
            break
    else:
        pytest.fail("no SM2 signature with a high bit in 40 attempts")
    result = verify_seal(data, p.verifier(), at=REF_TIME)
    assert result.accepted and result.intact and warning_codes(result) == {R.NONSTANDARD_ENCODING}


def _maker_findings(data: bytes) -> tuple[object, ...]:
    return verify_seal(data, sf.pki().verifier(), at=REF_TIME).warnings


def test_extensions_that_do_not_read_are_skipped() -> None:
    good = ("1.2.3.4", True, b"vendor data")
    data = sf.seal("v4", extensions=[good])
    seal = parse_seal(data)
    assert [(e.oid, e.critical, e.value) for e in seal.info.extensions] == [good] and not seal.findings
    assert parse_seal(sf.seal("v4")).info.extensions == ()
    bad_entry = sf.seq(sf.seq(sf.integer(5)))
    info_with_bad = _with_ext_datas(bad_entry)
    seal = parse_seal(info_with_bad)
    assert seal.info.extensions == () and any("skipped" in f.message for f in seal.findings)
    wrapped = _with_ext_datas(sf.octets(sf.seq(sf.seq(sf.oid("1.2.3.4"), sf.octets(b"x")))))
    seal = parse_seal(wrapped)
    assert [e.oid for e in seal.info.extensions] == ["1.2.3.4"]


def _with_ext_datas(ext: bytes) -> bytes:
    """A v4 seal whose SES_SealInfo ends with ``ext`` (unsigned: parsing only)."""
    from certmutual.asn1 import der

    data = sf.seal("v4")
    _, start, end = der.read_header(data, 0)
    parts = der.elements(data, start, end)
    info = data[parts[0][1]:parts[0][3]]
    _, info_start, info_end = der.read_header(info, 0)
    new_info = sf.tlv(0x30, info[info_start:info_end] + ext)
    return sf.tlv(0x30, new_info + b"".join(data[p[1]:p[3]] for p in parts[1:]))


def test_extensions_in_tbs_sign() -> None:
    data = sf.signature(extensions=[("1.2.156.1", False, b"\x01")])
    signature = parse_seal_signature(data)
    assert [e.oid for e in signature.extensions] == ["1.2.156.1"]
    assert verify_seal_signature(data, sf.pki().verifier(), signed_data=sf.DATA).accepted


def test_implicit_and_untagged_timestamps_are_read() -> None:
    p = sf.pki()
    explicit = sf.signature(timestamp=True)
    token = parse_seal_signature(explicit).timestamp
    assert token is not None
    head = sf.tlv(0xA0, sf.bits(token))
    for other in (sf.tlv(0x80, b"\x00" + token), sf.bits(token)):
        result = verify_seal_signature(_rewrap(explicit, head, other), p.verifier(), signed_data=sf.DATA)
        assert result.accepted and result.timestamp is not None and result.timestamp.verified


def _rewrap(data: bytes, old: bytes, new: bytes) -> bytes:
    from certmutual.asn1 import der

    _, start, end = der.read_header(data, 0)
    return sf.tlv(0x30, data[start:end].replace(old, new))


def test_time_text_forms() -> None:
    cases = {
        "2022-03-24 08:54:12": datetime.datetime(2022, 3, 24, 0, 54, 12, tzinfo=UTC),
        "2020-01-25T07:31:56.377Z": datetime.datetime(2020, 1, 25, 7, 31, 56, 377000, tzinfo=UTC),
        "2020-01-25T15:31:56+08:00": datetime.datetime(2020, 1, 25, 7, 31, 56, tzinfo=UTC),
        "170920102214Z": datetime.datetime(2017, 9, 20, 10, 22, 14, tzinfo=UTC),
        "201709201022Z": datetime.datetime(2017, 9, 20, 10, 22, tzinfo=UTC),
        "20220318213217": datetime.datetime(2022, 3, 18, 21, 32, 17, tzinfo=CHINA_STANDARD_TIME),
    }
    for text, expected in cases.items():
        parsed = read_time_text(text)
        assert parsed is not None and parsed[0] == expected, text
    for junk in ("", "yesterday", "2022-13-01 00:00:00", "99999999999999999"):
        assert read_time_text(junk) is None
