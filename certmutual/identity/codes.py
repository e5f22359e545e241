"""Check digits and structure of Chinese identity numbers: pure functions, no I/O.

Sources (``reference/china-specs.md`` §3):

- GB 32100-2015 统一社会信用代码 (unified social credit code, "credit code"), §3.1.
- GB 11714 组织机构代码 (organization code), the credit code's positions 9–17, §3.1.
- GB 11643-1999 公民身份号码 (resident ID number; ISO 7064 MOD 11-2), §3.2.
- GB/T 2260 行政区划代码 (administrative divisions), §3.3 — see :mod:`certmutual.identity.regions`.

Input conventions, shared by every ``is_valid_*``, ``normalise_*``, :func:`classify` and
:func:`province_of`: all whitespace (anywhere, including U+3000) is removed and ASCII letters are
upper-cased. Anything else that is not ASCII (full-width digits, for instance) makes the text
invalid. So ``is_valid_x(t)`` is exactly ``normalise_x(t) is not None``. The ``*_check_character``
functions are stricter: they take the canonical prefix only and raise :class:`ValueError` on
anything else (a misuse, not a verdict).

Decisions where the digest leaves room:

- The embedded GB 11714 code is **not** required by :func:`is_valid_credit_code` by default: the
  digest says "treat a GB 11714 mismatch as a warning, not an error". Ask for it with
  ``require_organization_code=True``, or test it on its own with
  :func:`credit_code_has_valid_organization_code`.
- Registration-authority / entity-type codes (positions 1–2) are **not** validated: the digest
  lists them for meaning only and warns that some generators mislabel them. They are read by
  :func:`credit_code_registration` and :func:`credit_code_entity_kind`.
- The legacy 15-digit ID (two-digit year, no check digit) is **not** accepted as an ID number:
  with no check digit it cannot be validated. :func:`upgrade_legacy_id_number` converts one to
  the 18-digit form (century 19, check digit computed) for callers that must accept it.
- An ID number's birth date must exist in the calendar and fall in the years
  :data:`ID_BIRTH_YEARS` (a sanity bound of ours, not the standard's). No "not in the future"
  check: the clock is the caller's business.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from certmutual.identity.regions import Province, province_by_code

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "CREDIT_CODE_WEIGHTS",
    "ID_BIRTH_YEARS",
    "ID_NUMBER_WEIGHTS",
    "ORGANIZATION_CODE_WEIGHTS",
    "CodeKind",
    "CreditCodeRegistration",
    "CreditEntityKind",
    "Province",
    "classify",
    "credit_code_check_character",
    "credit_code_entity_kind",
    "credit_code_has_valid_organization_code",
    "credit_code_registration",
    "id_number_birth_date",
    "id_number_check_character",
    "is_valid_credit_code",
    "is_valid_id_number",
    "is_valid_organization_code",
    "normalise_credit_code",
    "normalise_id_number",
    "normalise_organization_code",
    "organization_code_check_character",
    "province_of",
    "upgrade_legacy_id_number",
]

_DIGITS: Final = "0123456789"


class CodeKind(enum.Enum):
    """What an arbitrary string is, judged by structure and check digit alone (:func:`classify`)."""

    CREDIT_CODE = "credit_code"
    """An 18-character GB 32100 unified social credit code."""
    ID_NUMBER = "id_number"
    """An 18-digit GB 11643 resident ID number."""
    ORGANIZATION_CODE = "organization_code"
    """A 9-character GB 11714 organization code (also in the ``XXXXXXXX-X`` form)."""
    NONE = "none"
    """None of the above."""


def _compact(text: str) -> str | None:
    """Remove all whitespace and upper-case; ``None`` if anything non-ASCII remains."""
    compact = "".join(text.split())
    if not compact.isascii():
        return None
    return compact.upper()


# --- GB 32100-2015: unified social credit code (digest §3.1) -------------------------------------

CREDIT_CODE_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 symbols of GB 32100, in value order (I, O, Z, S, V excluded)."""

CREDIT_CODE_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))
"""Weights for positions 1–17: 3^i mod 31, i.e. 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24,
10, 30, 28. All are non-zero mod the prime 31, so every single substitution changes the sum."""

_CREDIT_VALUE: Final[Mapping[str, int]] = MappingProxyType({c: i for i, c in enumerate(CREDIT_CODE_ALPHABET)})


def credit_code_check_character(first17: str) -> str:
    """The GB 32100 check character (position 18) for a credit code's first 17 characters.

    ``check = ALPHABET[(31 - Σ value(c_i)·w_i mod 31) mod 31]`` with :data:`CREDIT_CODE_WEIGHTS`.

    :param first17: exactly 17 characters from :data:`CREDIT_CODE_ALPHABET` (upper-case, no spaces).
    :returns: one character of :data:`CREDIT_CODE_ALPHABET`.
    :raises ValueError: if ``first17`` is not 17 alphabet characters.
    """
    if len(first17) != 17 or any(c not in _CREDIT_VALUE for c in first17):
        raise ValueError(f"expected 17 characters of {CREDIT_CODE_ALPHABET}, got {first17!r}")
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _credit_code_ok(compact: str) -> bool:
    return (
        len(compact) == 18
        and all(c in _CREDIT_VALUE for c in compact)
        and credit_code_check_character(compact[:17]) == compact[17]
    )


def normalise_credit_code(text: str) -> str | None:
    """The canonical form of a credit code (whitespace removed, upper-case), or ``None`` if invalid.

    Valid means: 18 characters of :data:`CREDIT_CODE_ALPHABET` with the right check character.
    Not checked: the embedded organization code (a warning per the digest; see
    :func:`credit_code_has_valid_organization_code`), the registration codes and the division.
    """
    compact = _compact(text)
    return compact if compact is not None and _credit_code_ok(compact) else None


def is_valid_credit_code(text: str, *, require_organization_code: bool = False) -> bool:
    """Whether ``text`` is a GB 32100 unified social credit code.

    Checks length 18, the 31-symbol alphabet and the check character. Whitespace and case are
    ignored (see the module docstring).

    :param require_organization_code: also require positions 9–17 to pass the GB 11714 check. Off
        by default because the digest treats that mismatch as a warning, not an error.
    """
    code = normalise_credit_code(text)
    if code is None:
        return False
    return not require_organization_code or _organization_code_ok(code[8:17])


def credit_code_has_valid_organization_code(text: str) -> bool:
    """Whether ``text`` is a valid credit code whose positions 9–17 (主体标识码) pass GB 11714.

    A ``False`` for a code that :func:`is_valid_credit_code` accepts is a warning, not a refusal.
    """
    code = normalise_credit_code(text)
    return code is not None and _organization_code_ok(code[8:17])


# --- Positions 1–2: registration authority and entity type (digest §3.1) ------------------------

CreditEntityKind = Literal["enterprise", "institution", "unknown"]
"""The values :func:`credit_code_entity_kind` returns; they are values of the identity model's
``EntityKind``."""


@dataclass(frozen=True)
class CreditCodeRegistration:
    """What a credit code's first two characters say about the entity."""

    authority: str
    """Position 1, 登记管理部门代码, e.g. ``"9"``."""
    entity_type: str
    """Position 2, 机构类别代码 (its meaning depends on position 1), e.g. ``"1"``."""
    authority_name: str
    """The registration authority in Chinese, e.g. ``"工商"``."""
    type_name: str
    """The entity type in Chinese, e.g. ``"企业"``."""
    kind: CreditEntityKind
    """The identity-model kind this registration implies (mapping: :data:`_REGISTRATION_TABLE`)."""


# Source: digest §3.1 (code index ids 4851041863, 22046889029). The ``kind`` column is ours:
# - "enterprise": authority 9 (工商 / 市场监管, market regulation) — 企业, 个体工商户 and
#   农民专业合作社 are all market entities holding a business licence.
# - "institution": government bodies, public institutions and social organisations — authority 1
#   (机构编制: 机关, 事业单位, 群众团体), 5 (民政: 社会团体, 民办非企业单位, 基金会),
#   8 (工会, trade unions) and A (军队事业单位).
# - "unknown": everything else (外交, 司法行政 such as law firms, 文化, 旅游, 宗教, 农业 collectives,
#   其他), which fit neither kind of the identity model.
_RegistrationRow = tuple[str, str, CreditEntityKind, tuple[tuple[str, str], ...]]
_REGISTRATION_TABLE: Final[tuple[_RegistrationRow, ...]] = (
    ("1", "机构编制", "institution", (
        ("1", "机关"), ("2", "事业单位"), ("3", "中央编办直接管理机构编制的群众团体"), ("9", "其他"))),
    ("2", "外交", "unknown", (("1", "外国常驻新闻机构"), ("9", "其他"))),
    ("3", "司法行政", "unknown", (
        ("1", "律师执业机构"), ("2", "公证处"), ("3", "基层法律服务所"), ("4", "司法鉴定机构"),
        ("5", "仲裁委员会"), ("9", "其他"))),
    ("4", "文化", "unknown", (("1", "外国在华文化中心"), ("9", "其他"))),
    ("5", "民政", "institution", (("1", "社会团体"), ("2", "民办非企业单位"), ("3", "基金会"), ("9", "其他"))),
    ("6", "旅游", "unknown", (
        ("1", "外国旅游部门常驻代表机构"), ("2", "港澳台地区旅游部门常驻内地（大陆）代表机构"), ("9", "其他"))),
    ("7", "宗教", "unknown", (("1", "宗教活动场所"), ("2", "宗教院校"), ("9", "其他"))),
    ("8", "工会", "institution", (("1", "基层工会"), ("9", "其他"))),
    ("9", "工商", "enterprise", (("1", "企业"), ("2", "个体工商户"), ("3", "农民专业合作社"))),
    ("A", "中央军委改革和编制办公室", "institution", (("1", "军队事业单位"), ("9", "其他"))),
    ("N", "农业", "unknown", (
        ("1", "组级集体经济组织"), ("2", "村级集体经济组织"), ("3", "乡镇级集体经济组织"), ("9", "其他"))),
    ("Y", "其他", "unknown", (("1", "其他"),)),
)

_REGISTRATIONS: Final[Mapping[str, CreditCodeRegistration]] = MappingProxyType({
    authority + entity_type: CreditCodeRegistration(authority, entity_type, authority_name, type_name, kind)
    for authority, authority_name, kind, types in _REGISTRATION_TABLE
    for entity_type, type_name in types
})


def credit_code_registration(text: str) -> CreditCodeRegistration | None:
    """The registration authority and entity type of a valid credit code.

    :returns: ``None`` if ``text`` is not a valid credit code, or if its first two characters are
        not a pair listed in GB 32100 (per the digest).
    """
    code = normalise_credit_code(text)
    return None if code is None else _REGISTRATIONS.get(code[:2])


def credit_code_entity_kind(text: str) -> CreditEntityKind:
    """Whether a credit code's positions 1–2 say enterprise, institution or neither.

    ``"enterprise"`` for authority 9 (企业, 个体工商户, 农民专业合作社); ``"institution"`` for
    authorities 1, 5, 8 and A (government bodies, public institutions, social organisations, trade
    unions, military public institutions); ``"unknown"`` for the other authorities, an unlisted
    pair, or a string that is not a valid credit code. Source: digest §3.1; the grouping is
    documented at :data:`_REGISTRATION_TABLE`.
    """
    registration = credit_code_registration(text)
    return "unknown" if registration is None else registration.kind


# --- GB 11714: organization code (digest §3.1) ---------------------------------------------------

ORGANIZATION_CODE_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)
"""GB 11714 weights for the 8 body characters."""

_ORG_BODY: Final = _DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""Body characters; a character's value is its index (0–9, then A=10 … Z=35)."""


def organization_code_check_character(first8: str) -> str:
    """The GB 11714 check character for an organization code's first 8 characters.

    ``c = 11 − (Σ value·w mod 11)``; 10 is written ``X`` and 11 is written ``0``.

    :param first8: exactly 8 characters of ``0-9A-Z`` (upper-case).
    :returns: ``"0"``–``"9"`` or ``"X"``.
    :raises ValueError: if ``first8`` is not 8 such characters.
    """
    if len(first8) != 8 or any(c not in _ORG_BODY for c in first8):
        raise ValueError(f"expected 8 characters of 0-9A-Z, got {first8!r}")
    total = sum(_ORG_BODY.index(c) * w for c, w in zip(first8, ORGANIZATION_CODE_WEIGHTS))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def _organization_code_ok(compact9: str) -> bool:
    return (
        len(compact9) == 9
        and all(c in _ORG_BODY for c in compact9[:8])
        and organization_code_check_character(compact9[:8]) == compact9[8]
    )


def normalise_organization_code(text: str) -> str | None:
    """The 9-character canonical form (no hyphen, upper-case) of an organization code, or ``None``.

    Accepts ``XXXXXXXXX`` and the printed form ``XXXXXXXX-X`` (one hyphen before the check
    character), with whitespace and case ignored.
    """
    compact = _compact(text)
    if compact is None:
        return None
    if len(compact) == 10 and compact[8] == "-":
        compact = compact[:8] + compact[9]
    return compact if _organization_code_ok(compact) else None


def is_valid_organization_code(text: str) -> bool:
    """Whether ``text`` is a GB 11714 organization code (``XXXXXXXXX`` or ``XXXXXXXX-X``).

    Note that the mod-11 check cannot see every typo: the body values run 0–35, so replacing a
    character by one whose value differs by 11, 22 or 33 (``0`` → ``B``) keeps the check valid.
    """
    return normalise_organization_code(text) is not None


# --- GB 11643-1999: resident ID number (digest §3.2) ----------------------------------------------

ID_NUMBER_WEIGHTS: Final = tuple(pow(2, 17 - i, 11) for i in range(17))
"""ISO 7064 MOD 11-2 weights 2^(17−i) mod 11: 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2."""

_ID_CHECK: Final = "10X98765432"

ID_BIRTH_YEARS: Final = range(1800, 2100)
"""Birth years accepted in an ID number (a plausibility bound of ours; the standard has none)."""


def id_number_check_character(first17: str) -> str:
    """The GB 11643 check character for an ID number's first 17 digits.

    ``check = "10X98765432"[Σ d_i·w_i mod 11]`` with :data:`ID_NUMBER_WEIGHTS`.

    :param first17: exactly 17 ASCII digits.
    :returns: ``"0"``–``"9"`` or ``"X"``.
    :raises ValueError: if ``first17`` is not 17 ASCII digits.
    """
    if len(first17) != 17 or any(c not in _DIGITS for c in first17):
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_NUMBER_WEIGHTS)) % 11]


def _birth_date(yyyymmdd: str) -> datetime.date | None:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    if year not in ID_BIRTH_YEARS:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _id_number_ok(compact: str) -> bool:
    return (
        len(compact) == 18
        and all(c in _DIGITS for c in compact[:17])
        and id_number_check_character(compact[:17]) == compact[17]
        and _birth_date(compact[6:14]) is not None
    )


def normalise_id_number(text: str) -> str | None:
    """The canonical form of an 18-digit ID number (whitespace removed, ``x`` → ``X``), or ``None``.

    Valid means: 17 digits, a check character (digit or ``X``) that matches, and a birth date
    (positions 7–14, YYYYMMDD) that exists, with a year in :data:`ID_BIRTH_YEARS`. The address code
    and sequence number are not checked. 15-digit legacy numbers are refused; see
    :func:`upgrade_legacy_id_number`.
    """
    compact = _compact(text)
    return compact if compact is not None and _id_number_ok(compact) else None


def is_valid_id_number(text: str) -> bool:
    """Whether ``text`` is an 18-digit GB 11643 ID number (see :func:`normalise_id_number`)."""
    return normalise_id_number(text) is not None


def id_number_birth_date(text: str) -> datetime.date | None:
    """The birth date encoded in a valid 18-digit ID number, or ``None`` if it is not valid."""
    number = normalise_id_number(text)
    return None if number is None else _birth_date(number[6:14])


def upgrade_legacy_id_number(text: str) -> str | None:
    """Convert a legacy 15-digit ID number to the 18-digit form, or ``None`` if it cannot be.

    The 15-digit form is address (6) + YYMMDD + sequence (3), with no check digit. The usual
    conversion inserts the century ``19`` and appends the computed check character. Only the birth
    date can be checked, so a mistyped legacy number converts into a "valid" 18-digit one.
    """
    compact = _compact(text)
    if compact is None or len(compact) != 15 or any(c not in _DIGITS for c in compact):
        return None
    first17 = compact[:6] + "19" + compact[6:]
    if _birth_date(first17[6:14]) is None:
        return None
    return first17 + id_number_check_character(first17)


# --- Classification and regions -------------------------------------------------------------------


def classify(text: str) -> CodeKind:
    """What ``text`` is, by structure and check digit alone; never raises.

    Whitespace and case are ignored. An 18-character string may pass both the credit-code and the
    ID-number checks (about 1 in 31 valid ID numbers also passes the credit-code check). Then it is
    an ID number if its first two digits name a province, otherwise a credit code: a real credit code
    almost never passes the ID check, because its positions 7–14 (the end of the division code and
    the start of the organization code) rarely form a plausible birth date.
    """
    compact = _compact(text)
    if compact is None:
        return CodeKind.NONE
    if len(compact) == 18:
        credit = _credit_code_ok(compact)
        id_number = _id_number_ok(compact)
        if credit and id_number:
            return CodeKind.ID_NUMBER if province_by_code(compact[:2]) is not None else CodeKind.CREDIT_CODE
        if credit:
            return CodeKind.CREDIT_CODE
        if id_number:
            return CodeKind.ID_NUMBER
        return CodeKind.NONE
    if normalise_organization_code(compact) is not None:
        return CodeKind.ORGANIZATION_CODE
    return CodeKind.NONE


def province_of(code_or_division: str) -> Province | None:
    """The provincial-level division named by a code's GB/T 2260 division digits.

    :param code_or_division: one of
        - a two-digit province code (``"44"``) or a six-digit division code (``"440300"``);
        - a valid credit code (division = positions 3–8; this is the *registering authority's*
          division, ``100000`` for central registrations, which gives ``None``);
        - a valid 18-digit ID number (positions 1–6, the place of first registration), or a legacy
          15-digit one (positions 1–6, birth date checked).
    :returns: the division, or ``None`` if the input is none of the above (an invalid code is not
        trusted for its digits) or the digits name no province (e.g. 10, 91 国外).
    """
    compact = _compact(code_or_division)
    if compact is None:
        return None
    if len(compact) in (2, 6) and all(c in _DIGITS for c in compact):
        return province_by_code(compact[:2])
    kind = classify(compact)
    if kind is CodeKind.CREDIT_CODE:
        return province_by_code(compact[2:4])
    if kind is CodeKind.ID_NUMBER or upgrade_legacy_id_number(compact) is not None:
        return province_by_code(compact[:2])
    return None
