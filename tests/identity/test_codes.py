"""Identity numbers: GB 32100 credit codes, GB 11714 organization codes, GB 11643 ID numbers and the
GB/T 2260 province lookup (reference/china-specs.md §3).

ID numbers here are the digest's published examples or synthetic numbers computed in the test,
never real people's numbers.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from certmutual.identity import codes
from certmutual.identity.codes import (
    CREDIT_CODE_ALPHABET,
    CodeKind,
    classify,
    credit_code_check_character,
    credit_code_entity_kind,
    credit_code_has_valid_organization_code,
    credit_code_registration,
    id_number_birth_date,
    id_number_check_character,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_organization_code,
    normalise_credit_code,
    normalise_id_number,
    normalise_organization_code,
    organization_code_check_character,
    province_of,
    upgrade_legacy_id_number,
)
from certmutual.identity.regions import PROVINCES, province_by_code

DIGITS = "0123456789"
ORG_BODY = DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Real published codes: (code, where it was seen).
REAL_CREDIT_CODES = [
    ("91440300708461136T", "深圳市腾讯计算机系统有限公司 (digest §3.1)"),
    ("914403001922038216", "digest §3.1, cited as 华为技术有限公司"),
    ("91330100799655058B", "digest §3.1"),
    ("91110000710925462X", "digest §3.1"),
    ("91110000100010249W", "digest §3.1"),
    ("91320508346386385N", "digest §3.1, CFCA test certificate"),
    ("91110108756730417W", "corpus: 北京安证通信息科技股份有限公司 seal maker certificate SN"),
    ("91350200260063198M", "corpus: 厦门海迈科技股份有限公司 certificate, GM/T 0015 extensions"),
    ("11320500014150050B", "corpus: 苏州市民政局 seal certificate O"),
    ("11370306MB2867521U", "corpus: 淄博市周村区自然资源局 seal certificate O"),
    ("115300000151003540", "corpus: 云南省住房和城乡建设厅 seal certificate O"),
    ("12100000000018032A", "corpus: issuer O of CEGN_SEAL_CA"),
]
REAL_CODES = [code for code, _ in REAL_CREDIT_CODES]

DIGEST_ID_NUMBERS = ["11010519491231002X", "330602197108300018", "51020219670316621X", "430302198110220078"]


def with_check(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


def synthetic_id(address: str, birth: str, sequence: str) -> str:
    first17 = address + birth + sequence
    return first17 + id_number_check_character(first17)


def replace(text: str, position: int, char: str) -> str:
    return text[:position] + char + text[position + 1:]


# --- Credit codes: table tests ----------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_validate(code: str) -> None:
    assert is_valid_credit_code(code)
    assert credit_code_check_character(code[:17]) == code[17]
    assert normalise_credit_code(code) == code
    assert classify(code) is CodeKind.CREDIT_CODE
    # Every real code here also carries a valid GB 11714 organization code.
    assert credit_code_has_valid_organization_code(code)
    assert is_valid_credit_code(code, require_organization_code=True)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_fail_with_any_one_character_changed(code: str) -> None:
    for position in range(18):
        for char in CREDIT_CODE_ALPHABET:
            if char != code[position]:
                assert not is_valid_credit_code(replace(code, position, char)), (position, char)


@pytest.mark.parametrize("code", ["911100001000013428", "91310000607303048D"])
def test_digest_negative_credit_codes(code: str) -> None:
    assert not is_valid_credit_code(code)
    assert normalise_credit_code(code) is None
    assert credit_code_registration(code) is None


def test_digest_negative_example_names_its_correct_check_character() -> None:
    assert credit_code_check_character("91110000100001342") == "C"


def test_weights_are_powers_of_three_mod_31() -> None:
    assert codes.CREDIT_CODE_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("char", ["I", "O", "Z", "S", "V", "-", "*"])
def test_excluded_characters_are_refused(char: str) -> None:
    code = "91440300708461136T"
    assert not is_valid_credit_code(replace(code, 17, char))
    assert not is_valid_credit_code(replace(code, 10, char))


@pytest.mark.parametrize("text", ["", "9144030070846113", "91440300708461136", "91440300708461136TT",
                                  "91440300708461136T0"])
def test_wrong_length_credit_codes_are_refused(text: str) -> None:
    assert not is_valid_credit_code(text)


@pytest.mark.parametrize("text", [" 91440300708461136T ", "91440300708461136t", "9144 0300 7084 6113 6T",
                                  "\u300091440300708461136T\t\n"])
def test_credit_code_normalisation(text: str) -> None:
    assert normalise_credit_code(text) == "91440300708461136T"
    assert is_valid_credit_code(text)


def test_full_width_characters_are_not_silently_converted() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "91440300708461136T")
    assert normalise_credit_code(full_width) is None
    assert classify(full_width) is CodeKind.NONE


def test_embedded_organization_code_mismatch_is_a_warning_by_default() -> None:
    # 91440300708461136T with its embedded GB 11714 check character changed, then re-checksummed.
    bad_org = with_check("9144030070846113" + "7")
    assert is_valid_credit_code(bad_org)
    assert not credit_code_has_valid_organization_code(bad_org)
    assert not is_valid_credit_code(bad_org, require_organization_code=True)
    assert classify(bad_org) is CodeKind.CREDIT_CODE


@pytest.mark.parametrize("first17", ["9144030070846113", "914403007084611360", "9144030070846113I", "9144030070846113O",
                                     "9144030070846113t"])
def test_credit_check_character_refuses_misuse(first17: str) -> None:
    with pytest.raises(ValueError):
        credit_code_check_character(first17)


# --- Registration authority / entity type -----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "authority", "type_name", "kind"),
    [
        ("91440300708461136T", "工商", "企业", "enterprise"),
        ("11320500014150050B", "机构编制", "机关", "institution"),
        ("12100000000018032A", "机构编制", "事业单位", "institution"),
    ],
)
def test_registration_of_real_codes(code: str, authority: str, type_name: str, kind: str) -> None:
    registration = credit_code_registration(code)
    assert registration is not None
    assert (registration.authority_name, registration.type_name, registration.kind) == (authority, type_name, kind)
    assert credit_code_entity_kind(code) == kind


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [
        ("91", "enterprise"), ("92", "enterprise"), ("93", "enterprise"),
        ("11", "institution"), ("12", "institution"), ("13", "institution"), ("19", "institution"),
        ("51", "institution"), ("52", "institution"), ("53", "institution"), ("59", "institution"),
        ("81", "institution"), ("89", "institution"), ("A1", "institution"), ("A9", "institution"),
        ("21", "unknown"), ("31", "unknown"), ("32", "unknown"), ("41", "unknown"), ("61", "unknown"),
        ("71", "unknown"), ("N1", "unknown"), ("Y1", "unknown"),
    ],
)
def test_entity_kind_mapping(prefix: str, kind: str) -> None:
    code = with_check(prefix + "440300708461136")
    assert credit_code_registration(code) is not None
    assert credit_code_entity_kind(code) == kind


@pytest.mark.parametrize("prefix", ["94", "99", "14", "Y9", "B1", "01"])
def test_unlisted_registration_pairs_are_unknown(prefix: str) -> None:
    code = with_check(prefix + "440300708461136")
    assert is_valid_credit_code(code)  # not a validity rule: the digest lists the pairs for meaning only
    assert credit_code_registration(code) is None
    assert credit_code_entity_kind(code) == "unknown"


def test_entity_kind_of_an_invalid_code_is_unknown() -> None:
    assert credit_code_entity_kind("91440300708461136A") == "unknown"
    assert credit_code_entity_kind("not a code") == "unknown"


# --- Organization codes -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_embedded_organization_codes_validate_on_their_own(code: str) -> None:
    org = code[8:17]
    assert is_valid_organization_code(org)
    assert is_valid_organization_code(org[:8] + "-" + org[8])
    assert normalise_organization_code(org[:8] + "-" + org[8]) == org
    assert organization_code_check_character(org[:8]) == org[8]


@pytest.mark.parametrize(
    ("first8", "check"), [("70846113", "6"), ("MB286752", "1"), ("00000006", "X"), ("00000000", "0")],
)
def test_organization_check_character(first8: str, check: str) -> None:
    assert organization_code_check_character(first8) == check
    assert is_valid_organization_code(first8 + check)


@pytest.mark.parametrize("text", ["mb2867521", "MB286752-1", " 70846113 - 6 ", "00000006-x"])
def test_organization_code_accepted_forms(text: str) -> None:
    assert is_valid_organization_code(text)
    assert classify(text) is CodeKind.ORGANIZATION_CODE


@pytest.mark.parametrize("text", ["708461137", "7084611-36", "70846113--6", "7084611336", "70846113", "",
                                  "70846113-", "-708461136", "7084611_6"])
def test_organization_code_refused_forms(text: str) -> None:
    assert not is_valid_organization_code(text)
    assert normalise_organization_code(text) is None


def test_organization_code_misses_substitutions_that_differ_by_eleven() -> None:
    # Body values run 0-35 but the check is mod 11: "0" (0) -> "B" (11) keeps the sum mod 11.
    assert is_valid_organization_code("708461136")
    assert is_valid_organization_code("7B8461136")


@pytest.mark.parametrize("first8", ["7084611", "708461136", "7084611a", "7084611-"])
def test_organization_check_character_refuses_misuse(first8: str) -> None:
    with pytest.raises(ValueError):
        organization_code_check_character(first8)


# --- ID numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", DIGEST_ID_NUMBERS)
def test_digest_id_numbers_validate(number: str) -> None:
    assert is_valid_id_number(number)
    assert id_number_check_character(number[:17]) == number[17]
    assert classify(number) is CodeKind.ID_NUMBER


@pytest.mark.parametrize("number", DIGEST_ID_NUMBERS)
def test_digest_id_numbers_fail_with_any_one_character_changed(number: str) -> None:
    for position in range(18):
        for char in DIGITS + ("X" if position == 17 else ""):
            if char != number[position]:
                assert not is_valid_id_number(replace(number, position, char)), (position, char)


def test_gb11643_example_birth_date_and_lower_case_x() -> None:
    assert id_number_birth_date("11010519491231002X") == datetime.date(1949, 12, 31)
    assert normalise_id_number("11010519491231002x") == "11010519491231002X"
    assert is_valid_id_number(" 110105 19491231 002x ")


@pytest.mark.parametrize(
    ("birth", "valid"),
    [
        ("20000229", True),   # leap year (divisible by 400)
        ("19000229", False),  # not a leap year (divisible by 100)
        ("20240229", True),
        ("20230229", False),
        ("19991301", False),
        ("19990001", False),
        ("19990100", False),
        ("19990431", False),
        ("18000101", True),   # ID_BIRTH_YEARS bounds
        ("17991231", False),
        ("20991231", True),
        ("21000101", False),
        ("00000101", False),
    ],
)
def test_id_birth_date_must_exist(birth: str, valid: bool) -> None:
    number = synthetic_id("440300", birth, "123")
    assert is_valid_id_number(number) is valid
    assert (classify(number) is CodeKind.ID_NUMBER) is valid


@pytest.mark.parametrize("text", ["", "44030019900101123", "4403001990010112345", "44030019900101123A",
                                  "4403001990010112X3", "A40300199001011239"])
def test_malformed_id_numbers_are_refused(text: str) -> None:
    assert not is_valid_id_number(text)
    assert normalise_id_number(text) is None


def test_legacy_15_digit_numbers_are_not_id_numbers_but_convert() -> None:
    legacy = "110105491231002"  # the GB 11643 example in its pre-1999 form
    assert not is_valid_id_number(legacy)
    assert classify(legacy) is CodeKind.NONE
    assert upgrade_legacy_id_number(legacy) == "11010519491231002X"
    assert upgrade_legacy_id_number("110105491331002") is None  # month 13
    assert upgrade_legacy_id_number("11010549123100") is None
    assert upgrade_legacy_id_number("11010549123100A") is None
    assert province_of(legacy) == province_by_code("11")


@pytest.mark.parametrize("first17", ["1101051949123100", "110105194912310021", "1101051949123100X",
                                     "１１０１０５１９４９１２３１００２"])
def test_id_check_character_refuses_misuse(first17: str) -> None:
    with pytest.raises(ValueError):
        id_number_check_character(first17)


# --- classify -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("91440300708461136T", CodeKind.CREDIT_CODE),
        ("91440300708461136t", CodeKind.CREDIT_CODE),
        ("11010519491231002X", CodeKind.ID_NUMBER),
        ("708461136", CodeKind.ORGANIZATION_CODE),
        ("70846113-6", CodeKind.ORGANIZATION_CODE),
        ("91440300708461136A", CodeKind.NONE),
        ("708461137", CodeKind.NONE),
        ("", CodeKind.NONE),
        ("   ", CodeKind.NONE),
        ("深圳市腾讯计算机系统有限公司", CodeKind.NONE),
        ("11320500014150050B苏州市民政局", CodeKind.NONE),  # whole strings only; extraction finds runs
        ("hello world", CodeKind.NONE),
    ],
)
def test_classify_table(text: str, kind: CodeKind) -> None:
    assert classify(text) is kind


def test_classify_resolves_strings_that_pass_both_checks() -> None:
    # Synthetic: a valid ID number whose digits also carry a valid credit-code check character.
    both = "440300199001010868"
    assert is_valid_id_number(both) and is_valid_credit_code(both)
    assert classify(both) is CodeKind.ID_NUMBER  # first two digits name a province (44 广东)
    # Both checks again, but "19" names no province: read as a credit code (authority 1, type 9).
    other = "19011819900101005X"
    assert is_valid_id_number(other) and is_valid_credit_code(other)
    assert classify(other) is CodeKind.CREDIT_CODE


# --- Provinces --------------------------------------------------------------------------------------


def test_all_34_provincial_divisions() -> None:
    assert len(PROVINCES) == 34
    assert len({p.code for p in PROVINCES}) == 34
    assert [p.code for p in PROVINCES] == sorted(p.code for p in PROVINCES)
    assert {p.code: p.name for p in PROVINCES if p.code in ("71", "81", "82")} == {
        "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区"}
    for province in PROVINCES:
        assert province_by_code(province.code) is province
        assert province.short_name in province.name
        assert province.name_en


@pytest.mark.parametrize(
    ("text", "code", "name_en"),
    [
        ("44", "44", "Guangdong"),
        ("440300", "44", "Guangdong"),
        ("91440300708461136T", "44", "Guangdong"),
        ("11320500014150050B", "32", "Jiangsu"),
        ("115300000151003540", "53", "Yunnan"),
        ("11370306MB2867521U", "37", "Shandong"),
        ("330602197108300018", "33", "Zhejiang"),
        ("11010519491231002x", "11", "Beijing"),
        ("650100", "65", "Xinjiang"),
        ("820000", "82", "Macao"),
    ],
)
def test_province_of(text: str, code: str, name_en: str) -> None:
    province = province_of(text)
    assert province is not None
    assert (province.code, province.name_en) == (code, name_en)


@pytest.mark.parametrize("text", ["12100000000018032A",  # central registration: division 100000
                                  "100000", "91", "910000", "00", "4", "4403", "91440300708461136A",
                                  "33060219710830001X", "ab", "广东", ""])
def test_province_of_none(text: str) -> None:
    assert province_of(text) is None


# --- Property tests -----------------------------------------------------------------------------------

credit_prefixes = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)
credit_codes = credit_prefixes.map(with_check)
birth_dates = st.dates(min_value=datetime.date(1800, 1, 1), max_value=datetime.date(2099, 12, 31))
id_numbers = st.builds(
    lambda address, birth, sequence: synthetic_id(address, birth.strftime("%Y%m%d"), sequence),
    st.text(alphabet=DIGITS, min_size=6, max_size=6), birth_dates, st.text(alphabet=DIGITS, min_size=3, max_size=3),
)
org_codes = st.text(alphabet=ORG_BODY, min_size=8, max_size=8).map(lambda b: b + organization_code_check_character(b))


@given(credit_codes)
def test_prop_computed_credit_codes_validate(code: str) -> None:
    assert is_valid_credit_code(code)
    assert normalise_credit_code(code.lower()) == code
    expected = (CodeKind.ID_NUMBER if is_valid_id_number(code) and province_by_code(code[:2]) is not None
                else CodeKind.CREDIT_CODE)
    assert classify(code) is expected


@given(credit_codes, st.data())
def test_prop_credit_code_detects_every_single_substitution(code: str, data: st.DataObject) -> None:
    # True for every position: the weights are non-zero mod the prime 31 and values differ by < 31;
    # the check character itself is unique.
    position = data.draw(st.integers(0, 17))
    char = data.draw(st.sampled_from([c for c in CREDIT_CODE_ALPHABET if c != code[position]]))
    assert not is_valid_credit_code(replace(code, position, char))


@given(credit_codes, st.integers(0, 16))
def test_prop_credit_code_detects_adjacent_transpositions(code: str, position: int) -> None:
    # Adjacent weights differ mod 31 (3^i·(3−1)), and the check character's weight 1 differs from 28.
    assume(code[position] != code[position + 1])
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
    assert not is_valid_credit_code(swapped)


@given(id_numbers)
def test_prop_computed_id_numbers_validate(number: str) -> None:
    assert is_valid_id_number(number)
    assert normalise_id_number(number.lower()) == number
    assert id_number_birth_date(number) == datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    also_credit = is_valid_credit_code(number) and province_by_code(number[:2]) is None
    assert classify(number) is (CodeKind.CREDIT_CODE if also_credit else CodeKind.ID_NUMBER)


@given(id_numbers, st.data())
def test_prop_id_number_detects_every_single_substitution(number: str, data: st.DataObject) -> None:
    # MOD 11-2 weights 2^k mod 11 are non-zero and digit differences are 1..9, so any substitution
    # moves the sum mod 11 (it may also break the birth date; either way the number is refused).
    position = data.draw(st.integers(0, 17))
    choices = DIGITS + "X" if position == 17 else DIGITS
    char = data.draw(st.sampled_from([c for c in choices if c != number[position]]))
    assert not is_valid_id_number(replace(number, position, char))


@given(id_numbers, st.integers(0, 16))
def test_prop_id_number_detects_adjacent_transpositions(number: str, position: int) -> None:
    assume(number[position] != number[position + 1])
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2:]
    assert not is_valid_id_number(swapped)


@given(st.text(alphabet=DIGITS, min_size=6, max_size=6), birth_dates,
       st.text(alphabet=DIGITS, min_size=2, max_size=2))
def test_prop_id_lower_case_x_is_normalised(address: str, birth: datetime.date, sequence: str) -> None:
    # Pick the last sequence digit that makes the check character X (one exists 10 times in 11).
    candidates = [synthetic_id(address, birth.strftime("%Y%m%d"), sequence + d) for d in DIGITS]
    with_x = [number for number in candidates if number.endswith("X")]
    assume(with_x)
    number = with_x[0]
    assert normalise_id_number(number[:17] + "x") == number
    assert is_valid_id_number(number[:17] + "x")
    assert classify(number[:17] + "x") in (CodeKind.ID_NUMBER, CodeKind.CREDIT_CODE)


@given(org_codes, st.data())
def test_prop_organization_codes(code: str, data: st.DataObject) -> None:
    assert is_valid_organization_code(code)
    assert normalise_organization_code(f"{code[:8]}-{code[8]}".lower()) == code
    # Changing the check character is always caught.
    check = data.draw(st.sampled_from([c for c in DIGITS + "X" if c != code[8]]))
    assert not is_valid_organization_code(code[:8] + check)
    # A body substitution is caught unless the values differ by a multiple of 11.
    position = data.draw(st.integers(0, 7))
    char = data.draw(st.sampled_from([c for c in ORG_BODY if c != code[position]]))
    changed = replace(code, position, char)
    caught = (ORG_BODY.index(char) - ORG_BODY.index(code[position])) % 11 != 0
    assert is_valid_organization_code(changed) is not caught


@given(st.text())
def test_prop_classify_and_friends_never_raise(text: str) -> None:
    assert isinstance(classify(text), CodeKind)
    for normalise, is_valid in (
        (normalise_credit_code, is_valid_credit_code),
        (normalise_id_number, is_valid_id_number),
        (normalise_organization_code, is_valid_organization_code),
    ):
        normal = normalise(text)
        assert is_valid(text) is (normal is not None)
        if normal is not None:
            assert normalise(normal) == normal
    province_of(text)
    credit_code_entity_kind(text)
    upgrade_legacy_id_number(text)


@given(st.text(alphabet=CREDIT_CODE_ALPHABET + "IOSVZxyz- -", min_size=7, max_size=20))
def test_prop_classify_agrees_with_the_validators(text: str) -> None:
    kind = classify(text)
    if kind is CodeKind.CREDIT_CODE:
        assert is_valid_credit_code(text)
    elif kind is CodeKind.ID_NUMBER:
        assert is_valid_id_number(text)
    elif kind is CodeKind.ORGANIZATION_CODE:
        assert is_valid_organization_code(text)
    else:
        assert not (is_valid_credit_code(text) or is_valid_id_number(text) or is_valid_organization_code(text))


@given(credit_codes, st.lists(st.integers(0, 18), max_size=5))
def test_prop_whitespace_anywhere_is_ignored(code: str, cuts: list[int]) -> None:
    spaced = code
    for cut in sorted(cuts, reverse=True):
        spaced = spaced[:cut] + " " + spaced[cut:]
    assert normalise_credit_code(spaced) == code
