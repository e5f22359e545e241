"""Name constraints along a path (``name_constraints`` reason; RFC 5280 §4.2.1.10, §6.1.3 b/c).

Constraints sit on the intermediate (or the root) and bind the leaf's subject DN and SAN names. The
unit behaviour of each matcher is in test_names.py; here each case is a whole chain verdict.
"""

from __future__ import annotations

from typing import Any

import pytest

from certmutual import Policy, ReasonCode, Status
from certmutual.pki.builder import KeyKind, name
from tests.pki_factory import (
    CHAIN_KINDS, expect, general_name, leaf_name, make_chain, name_constraints_extension, san_extension,
)

R = ReasonCode
kinds = pytest.mark.parametrize("kind", CHAIN_KINDS, ids=lambda k: k.value)


def _dns_chain(kind: KeyKind, leaf_dns: list[str], *, permitted=(), excluded=(), on: str = "intermediate"):
    return make_chain(kind, leaf_overrides={"dns_names": leaf_dns},
                      **{f"{on}_overrides": {"permitted_dns": list(permitted), "excluded_dns": list(excluded)}})


# -- dNSName ---------------------------------------------------------------------------------------

PERMITTED_CASES = [
    (["www.example.com"], R.OK),
    (["example.com"], R.OK),
    (["a.b.c.example.com"], R.OK),
    (["WWW.EXAMPLE.COM"], R.OK),
    (["www.example.org"], R.NAME_CONSTRAINTS),
    (["notexample.com"], R.NAME_CONSTRAINTS),           # label boundary, not a string suffix
    (["www.example.com", "www.evil.org"], R.NAME_CONSTRAINTS),  # every name must be inside
    (["example.com.evil.org"], R.NAME_CONSTRAINTS),
]


@kinds
@pytest.mark.parametrize(("leaf_dns", "code"), PERMITTED_CASES, ids=[",".join(c[0]) for c in PERMITTED_CASES])
def test_permitted_dns(kind: KeyKind, leaf_dns: list[str], code: ReasonCode) -> None:
    chain = _dns_chain(kind, leaf_dns, permitted=["example.com"])
    result = chain.verify()
    expect(result, code)
    if code is R.NAME_CONSTRAINTS:
        assert result.status is Status.INVALID
        assert result.reasons[0].concerns == chain.leaf.subject_text


EXCLUDED_CASES = [
    (["bad.example.com"], R.NAME_CONSTRAINTS),
    (["x.bad.example.com"], R.NAME_CONSTRAINTS),
    (["Deep.X.BAD.example.com"], R.NAME_CONSTRAINTS),
    (["good.example.com"], R.OK),
    (["notbad.example.com"], R.OK),
    (["example.com"], R.OK),
]


@kinds
@pytest.mark.parametrize(("leaf_dns", "code"), EXCLUDED_CASES, ids=[",".join(c[0]) for c in EXCLUDED_CASES])
def test_excluded_dns(kind: KeyKind, leaf_dns: list[str], code: ReasonCode) -> None:
    expect(_dns_chain(kind, leaf_dns, excluded=["bad.example.com"]).verify(), code)


@kinds
@pytest.mark.parametrize("on", ["intermediate", "root"])
def test_constraints_on_any_ca_above_bind_the_leaf(kind: KeyKind, on: str) -> None:
    expect(_dns_chain(kind, ["www.example.org"], permitted=["example.com"], on=on).verify(), R.NAME_CONSTRAINTS)
    expect(_dns_chain(kind, ["www.example.com"], permitted=["example.com"], on=on).verify(), R.OK)


WILDCARD_CASES = [
    # CVE-2025-61727 (Go): a wildcard SAN could stand for a host in an excluded subtree one label down.
    ("*.example.com", ["bar.example.com"], [], R.NAME_CONSTRAINTS),
    ("*.example.com", ["bar.example.com"], ["example.com"], R.NAME_CONSTRAINTS),
    ("*.example.com", ["example.com"], [], R.NAME_CONSTRAINTS),
    ("*.example.com", ["a.bar.example.com"], [], R.OK),   # a wildcard covers exactly one label
    ("*.example.com", ["bar.example.org"], [], R.OK),
    ("*.example.com", [], ["example.com"], R.OK),
    ("*.example.com", [], ["other.com"], R.NAME_CONSTRAINTS),
]


@kinds
@pytest.mark.parametrize(("wildcard", "excluded", "permitted", "code"), WILDCARD_CASES,
                         ids=[f"{c[0]}-x{c[1]}-p{c[2]}" for c in WILDCARD_CASES])
def test_wildcard_against_constraints(kind: KeyKind, wildcard: str, excluded: list[str], permitted: list[str],
                                      code: ReasonCode) -> None:
    expect(_dns_chain(kind, [wildcard], permitted=permitted, excluded=excluded).verify(), code)


def test_dns_constraint_with_leading_period_fails_closed() -> None:
    """certmutual refuses leading-period dNSName constraints (RFC 5280 defines them only for
    rfc822Name and URI), so the whole subtree is unusable: fail closed, even for a matching name."""
    chain = _dns_chain(KeyKind.SM2, ["www.example.com"], permitted=[".example.com"])
    expect(chain.verify(), R.NAME_CONSTRAINTS)


def test_name_constraints_do_not_apply_to_the_ca_that_carries_them() -> None:
    """The intermediate's own subject is outside its own directoryName constraint: allowed."""
    chain = make_chain(KeyKind.SM2, intermediate_overrides={"extra_extensions": [
        name_constraints_extension(permitted=[general_name("directory_name", leaf_name())])]},
        leaf_overrides={"subject": leaf_name()})
    expect(chain.verify(), R.OK)


# -- other name forms ----------------------------------------------------------------------------


def _constrained(kind: KeyKind, constraint: Any, leaf_overrides: dict[str, Any]):
    return make_chain(kind, intermediate_overrides={"extra_extensions": [constraint]}, leaf_overrides=leaf_overrides)


def _san(*names: Any) -> dict[str, Any]:
    return {"dns_names": [], "extra_extensions": [san_extension(*names)]}


OTHER_FORMS = {
    # id: (permitted, excluded, leaf overrides, code)
    "dn-permitted-ok": ([general_name("directory_name", name([("country_name", "CN"), ("organization_name", "certmutual tests")]))],
                        [], {}, R.OK),
    "dn-permitted-outside": ([general_name("directory_name", name([("country_name", "CN"), ("organization_name", "elsewhere")]))],
                             [], {}, R.NAME_CONSTRAINTS),
    "dn-excluded": ([], [general_name("directory_name", name([("country_name", "CN")]))], {}, R.NAME_CONSTRAINTS),
    "dn-in-san": ([general_name("directory_name", name([("country_name", "CN"), ("organization_name", "certmutual tests")]))],
                  [], _san(general_name("directory_name", name([("country_name", "US"), ("common_name", "x")]))),
                  R.NAME_CONSTRAINTS),
    "email-domain-ok": ([general_name("rfc822_name", ".example.com")], [],
                        _san(general_name("rfc822_name", "alice@mail.example.com")), R.OK),
    "email-domain-outside": ([general_name("rfc822_name", ".example.com")], [],
                             _san(general_name("rfc822_name", "alice@example.org")), R.NAME_CONSTRAINTS),
    "email-host-exact": ([general_name("rfc822_name", "example.com")], [],
                         _san(general_name("rfc822_name", "bob@example.com")), R.OK),
    "email-host-not-subdomain": ([general_name("rfc822_name", "example.com")], [],
                                 _san(general_name("rfc822_name", "bob@mail.example.com")), R.NAME_CONSTRAINTS),
    "email-excluded-mailbox": ([], [general_name("rfc822_name", "mallory@example.com")],
                               _san(general_name("rfc822_name", "mallory@example.com")), R.NAME_CONSTRAINTS),
    "email-in-subject-dn": ([general_name("rfc822_name", "example.com")], [],
                            {"subject": name([("country_name", "CN"), ("common_name", "Mail Leaf"),
                                              ("email_address", "eve@example.org")])}, R.NAME_CONSTRAINTS),
    "ipv4-inside": ([general_name("ip_address", "10.0.0.0/8")], [], _san(general_name("ip_address", "10.1.2.3")), R.OK),
    "ipv4-outside": ([general_name("ip_address", "10.0.0.0/8")], [], _san(general_name("ip_address", "192.168.1.1")),
                     R.NAME_CONSTRAINTS),
    "ipv4-excluded": ([], [general_name("ip_address", "192.168.0.0/16")], _san(general_name("ip_address", "192.168.1.1")),
                      R.NAME_CONSTRAINTS),
    "ipv6-under-ipv4-only": ([general_name("ip_address", "10.0.0.0/8")], [], _san(general_name("ip_address", "2001:db8::1")),
                             R.NAME_CONSTRAINTS),
    "ipv6-inside": ([general_name("ip_address", "2001:db8::/32")], [], _san(general_name("ip_address", "2001:db8::1")), R.OK),
    "uri-domain-ok": ([general_name("uniform_resource_identifier", ".example.com")], [],
                      _san(general_name("uniform_resource_identifier", "https://www.example.com/path")), R.OK),
    "uri-outside": ([general_name("uniform_resource_identifier", ".example.com")], [],
                    _san(general_name("uniform_resource_identifier", "https://www.example.org/")), R.NAME_CONSTRAINTS),
    "uri-without-host": ([general_name("uniform_resource_identifier", ".example.com")], [],
                         _san(general_name("uniform_resource_identifier", "urn:example:thing")), R.NAME_CONSTRAINTS),
    "unsupported-form-constrained": ([general_name("registered_id", "1.2.3.4")], [],
                                     _san(general_name("registered_id", "1.2.3.4")), R.NAME_CONSTRAINTS),
    "unsupported-form-unconstrained": ([general_name("dns_name", "example.com")], [],
                                       _san(general_name("registered_id", "1.2.3.4")), R.OK),
    "form-without-constraint-is-free": ([general_name("dns_name", "example.com")], [],
                                        _san(general_name("ip_address", "192.168.1.1")), R.OK),
}


@kinds
@pytest.mark.parametrize("case", sorted(OTHER_FORMS))
def test_other_name_forms(kind: KeyKind, case: str) -> None:
    permitted, excluded, leaf_overrides, code = OTHER_FORMS[case]
    chain = _constrained(kind, name_constraints_extension(permitted, excluded), leaf_overrides)
    expect(chain.verify(), code)


def test_subtree_minimum_other_than_zero_fails_closed() -> None:
    from asn1crypto import x509

    from certmutual.asn1.oids import EXT_OID
    from certmutual.pki.builder import RawExtension

    value = x509.NameConstraints({"permitted_subtrees": [
        {"base": general_name("dns_name", "example.com"), "minimum": 1}]}).dump()
    chain = _constrained(KeyKind.SM2, RawExtension(EXT_OID.NAME_CONSTRAINTS, True, value), {})
    expect(chain.verify(), R.NAME_CONSTRAINTS)


# -- budget ------------------------------------------------------------------------------------------


@kinds
def test_name_comparison_budget(kind: KeyKind) -> None:
    leaf_dns = [f"host{i}.example.com" for i in range(40)]
    excluded = [f"bad{i}.example.com" for i in range(40)]
    chain = _dns_chain(kind, leaf_dns, excluded=excluded)
    expect(chain.verify(), R.OK)
    result = chain.verify(policy=Policy(max_name_comparisons=100))
    expect(result, R.PATH_BUDGET_EXCEEDED, status=Status.INDETERMINATE)


@kinds
def test_percent_encoded_uri_host_cannot_escape_an_excluded_subtree(kind: KeyKind) -> None:
    constraint = name_constraints_extension(excluded=[general_name("uniform_resource_identifier", ".evil.com")])
    chain = _constrained(kind, constraint, _san(general_name("uniform_resource_identifier", "https://www.%65vil.com/")))
    result = chain.verify()
    assert not result.accepted, result.to_dict()
    assert result.codes[0] in (R.NAME_CONSTRAINTS, R.MALFORMED)
