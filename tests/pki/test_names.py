"""Unit and property tests for certmutual.pki.names (RFC 5280 §4.2.1.10 matching)."""

from __future__ import annotations

import ipaddress

import pytest
from asn1crypto import x509
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from certmutual.pki import names
from certmutual.pki.builder import KeyKind, name
from tests.pki_factory import general_name, make_chain

# -- dNSName ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("host", "constraint", "expected"), [
    ("example.com", "example.com", True),
    ("www.example.com", "example.com", True),
    ("a.b.example.com", "example.com", True),
    ("WWW.Example.COM", "example.com", True),
    ("www.example.com", "EXAMPLE.com", True),
    ("example.com.", "example.com", True),               # absolute form
    ("www.example.com", "example.com.", True),
    ("notexample.com", "example.com", False),
    ("example.com", "www.example.com", False),
    ("example.org", "example.com", False),
    ("com", "example.com", False),
    ("anything.at.all", "", True),                       # empty constraint: every name
    ("www.example.com", ".example.com", True),           # leading dot: subdomains only
    ("example.com", ".example.com", False),
    ("*.example.com", "example.com", True),
])
def test_dns_matches(host: str, constraint: str, expected: bool) -> None:
    assert names.dns_matches(host, constraint) is expected


@pytest.mark.parametrize(("host", "constraint"), [("a..example.com", "example.com"), ("www.example.com", "example..com")])
def test_dns_matches_refuses_malformed_names(host: str, constraint: str) -> None:
    with pytest.raises(names.NameConstraintViolation):
        names.dns_matches(host, constraint)


@pytest.mark.parametrize(("wildcard", "constraint", "expected"), [
    ("*.example.com", "bar.example.com", True),
    ("*.example.com", "BAR.Example.com", True),
    ("*.example.com", "a.bar.example.com", False),
    ("*.example.com", "example.com", False),             # the plain match covers this one
    ("*.example.com", "bar.example.org", False),
    ("www.example.com", "bar.example.com", False),       # not a wildcard
])
def test_wildcard_reaches(wildcard: str, constraint: str, expected: bool) -> None:
    assert names._wildcard_reaches(wildcard, constraint) is expected


# -- rfc822Name ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("mailbox", "constraint", "expected"), [
    ("alice@example.com", "alice@example.com", True),
    ("alice@EXAMPLE.com", "alice@example.com", True),    # host part is case-insensitive
    ("Alice@example.com", "alice@example.com", False),   # local part is not
    ("bob@example.com", "alice@example.com", False),
    ("alice@example.com", "example.com", True),          # a host: every mailbox there
    ("alice@mail.example.com", "example.com", False),
    ("alice@mail.example.com", ".example.com", True),    # a domain: mailboxes on its subdomains
    ("alice@example.com", ".example.com", False),
    ("alice@example.org", ".example.com", False),
])
def test_email_matches(mailbox: str, constraint: str, expected: bool) -> None:
    assert names.email_matches(mailbox, constraint) is expected


@pytest.mark.parametrize("mailbox", ["no-at-sign.example.com", "a@b@example.com"])
def test_email_matches_refuses_malformed_mailboxes(mailbox: str) -> None:
    with pytest.raises(names.NameConstraintViolation):
        names.email_matches(mailbox, "example.com")


# -- iPAddress -------------------------------------------------------------------------------------


def _ip_constraint(network: str) -> tuple[int, int, int]:
    return names._constraint_value("ip_address", general_name("ip_address", network))  # type: ignore[return-value]


@pytest.mark.parametrize(("address", "network", "expected"), [
    ("10.1.2.3", "10.0.0.0/8", True),
    ("11.0.0.1", "10.0.0.0/8", False),
    ("192.168.1.1", "192.168.1.1/32", True),
    ("192.168.1.2", "192.168.1.1/32", False),
    ("1.2.3.4", "0.0.0.0/0", True),
    ("2001:db8::1", "2001:db8::/32", True),
    ("2001:db9::1", "2001:db8::/32", False),
    ("2001:db8::1", "0.0.0.0/0", False),                 # address family must agree
    ("10.1.2.3", "::/0", False),
])
def test_ip_matches(address: str, network: str, expected: bool) -> None:
    assert names.ip_matches(ipaddress.ip_address(address).packed, _ip_constraint(network)) is expected


def test_ip_constraint_with_non_contiguous_mask_is_refused() -> None:
    base = x509.GeneralName.load(b"\x87\x08" + bytes.fromhex("0a000000ff00ff00"))  # 10.0.0.0 mask 255.0.255.0
    with pytest.raises(names.NameConstraintViolation):
        names._constraint_value("ip_address", base)


def test_ip_constraint_of_wrong_length_is_refused() -> None:
    with pytest.raises(names.NameConstraintViolation):
        names._constraint_value("ip_address", x509.GeneralName.load(b"\x87\x04\x0a\x00\x00\x00"))


# -- directoryName ---------------------------------------------------------------------------------

SUBJECT = name([("country_name", "CN"), ("organization_name", "certmutual tests"), ("common_name", "Leaf")])


@pytest.mark.parametrize(("constraint", "expected"), [
    (name([("country_name", "CN")]), True),
    (name([("country_name", "CN"), ("organization_name", "certmutual tests")]), True),
    (name([("country_name", "CN"), ("organization_name", "CERTMUTUAL  Tests")]), True),  # §7.1 folding
    (SUBJECT, True),
    (name([("country_name", "CN"), ("organization_name", "other")]), False),
    (name([("organization_name", "certmutual tests")]), False),   # must be a prefix, not a subset
    (name([("country_name", "CN"), ("organization_name", "certmutual tests"), ("common_name", "Leaf"),
           ("organizational_unit_name", "x")]), False),
    (x509.Name.build({}), True),                                  # the empty DN is everything's prefix
])
def test_directory_matches(constraint: x509.Name, expected: bool) -> None:
    assert names.directory_matches(SUBJECT, constraint) is expected


def test_directory_matches_across_string_types() -> None:
    printable = x509.Name.build({"country_name": "CN", "organization_name": "certmutual tests"}, use_printable=True)
    assert names.directory_matches(SUBJECT, printable)


# -- uniformResourceIdentifier ---------------------------------------------------------------------


@pytest.mark.parametrize(("uri", "constraint", "expected"), [
    ("https://www.example.com/a", ".example.com", True),
    ("https://a.b.example.com:8443/a?q", ".example.com", True),
    ("https://example.com/", ".example.com", False),
    ("https://example.com/", "example.com", True),
    ("https://EXAMPLE.com/", "example.com", True),
    ("https://www.example.org/", ".example.com", False),
    ("https://user@host.example.com/", ".example.com", True),
])
def test_uri_matches(uri: str, constraint: str, expected: bool) -> None:
    assert names.uri_matches(uri, constraint) is expected


def test_uri_constraint_without_leading_period_is_a_single_host() -> None:
    """RFC 5280 §4.2.1.10: without a leading period a URI constraint "specifies a host".
    Regression: uri_matches() once delegated to dns_matches(), which also accepts subdomains."""
    assert names.uri_matches("https://www.example.com/", "example.com") is False


@pytest.mark.parametrize("uri", ["urn:isbn:123", "mailto:a@example.com", "https:///path", "https://[2001:db8::1]/"])
def test_uri_without_host_is_refused(uri: str) -> None:
    with pytest.raises(names.NameConstraintViolation):
        names.uri_matches(uri, ".example.com")


# -- parse_subtrees / check --------------------------------------------------------------------------


def _constraints(permitted=(), excluded=()) -> x509.NameConstraints:
    value = {}
    if permitted:
        value["permitted_subtrees"] = [{"base": gn} for gn in permitted]
    if excluded:
        value["excluded_subtrees"] = [{"base": gn} for gn in excluded]
    return x509.NameConstraints.load(x509.NameConstraints(value).dump())


def test_parse_subtrees_groups_by_form() -> None:
    subtrees = names.parse_subtrees(_constraints(
        permitted=[general_name("dns_name", "example.com"), general_name("dns_name", "example.org"),
                   general_name("rfc822_name", ".example.com")],
        excluded=[general_name("ip_address", "10.0.0.0/8")]))
    assert subtrees.permitted == {"dns_name": ["example.com", "example.org"], "rfc822_name": [".example.com"]}
    assert list(subtrees.excluded) == ["ip_address"]


def test_parse_subtrees_refuses_leading_period_dns() -> None:
    with pytest.raises(names.NameConstraintViolation):
        names.parse_subtrees(_constraints(permitted=[general_name("dns_name", ".example.com")]))


def test_check_against_a_certificate_and_budget() -> None:
    leaf = make_chain(KeyKind.P256, leaf_overrides={"dns_names": ["a.example.com", "b.example.com"]}).leaf
    inside = names.parse_subtrees(_constraints(permitted=[general_name("dns_name", "example.com")]))
    outside = names.parse_subtrees(_constraints(excluded=[general_name("dns_name", "b.example.com")]))
    names.check(inside, leaf, names.ComparisonBudget(100))
    with pytest.raises(names.NameConstraintViolation):
        names.check(outside, leaf, names.ComparisonBudget(100))
    with pytest.raises(names.BudgetExhausted):
        names.check(inside, leaf, names.ComparisonBudget(1))


def test_names_of_collects_subject_san_and_email() -> None:
    leaf = make_chain(KeyKind.P256, leaf_overrides={
        "subject": name([("common_name", "x"), ("email_address", "x@example.com")]),
        "dns_names": ["a.example.com"]}).leaf
    found = names.names_of(leaf)
    assert found["dns_name"] == ["a.example.com"]
    assert found["rfc822_name"] == ["x@example.com"]
    assert len(found["directory_name"]) == 1


# -- properties ------------------------------------------------------------------------------------

PROPERTY = settings(database=None, deadline=None, max_examples=60)
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
label = st.builds(
    lambda head, middle, tail: head + middle + tail if middle else head,
    st.text(_ALNUM, min_size=1, max_size=4), st.text(_ALNUM + "-", max_size=4), st.text(_ALNUM, min_size=1, max_size=3))
labels = st.lists(label, min_size=1, max_size=4)


def _recase(text: str, flips: list[bool]) -> str:
    return "".join(c.upper() if f else c for c, f in zip(text, flips + [False] * len(text)))


@PROPERTY
@given(prefix=st.lists(label, max_size=4), constraint=labels, flips=st.lists(st.booleans(), max_size=40))
def test_prop_prepending_labels_always_matches(prefix: list[str], constraint: list[str], flips: list[bool]) -> None:
    host = ".".join(prefix + constraint)
    assert names.dns_matches(_recase(host, flips), ".".join(constraint))


@PROPERTY
@given(prefix=st.lists(label, max_size=4), constraint=labels)
def test_prop_leading_period_needs_at_least_one_more_label(prefix: list[str], constraint: list[str]) -> None:
    assert names.dns_matches(".".join(prefix + constraint), "." + ".".join(constraint)) is bool(prefix)


@PROPERTY
@given(host=labels, constraint=labels, other=label)
def test_prop_different_last_labels_never_match(host: list[str], constraint: list[str], other: str) -> None:
    assume(other != constraint[-1])
    assert not names.dns_matches(".".join(host[:-1] + [other]), ".".join(constraint))


@PROPERTY
@given(host=labels, constraint=labels)
def test_prop_match_is_label_suffix(host: list[str], constraint: list[str]) -> None:
    expected = len(host) >= len(constraint) and host[len(host) - len(constraint):] == constraint
    assert names.dns_matches(".".join(host), ".".join(constraint)) is expected


@PROPERTY
@given(prefix=st.lists(label, max_size=3), domain=labels)
def test_prop_wildcard_reaches_exactly_one_label_down(prefix: list[str], domain: list[str]) -> None:
    assert names._wildcard_reaches("*." + ".".join(domain), ".".join(prefix + domain)) is (len(prefix) == 1)


@PROPERTY
@given(local=st.text(_ALNUM + "._-", min_size=1, max_size=8), prefix=st.lists(label, max_size=3), domain=labels)
def test_prop_email_domain_constraint(local: str, prefix: list[str], domain: list[str]) -> None:
    mailbox = f"{local}@{'.'.join(prefix + domain)}"
    assert names.email_matches(mailbox, "." + ".".join(domain)) is bool(prefix)
    assert names.email_matches(mailbox, ".".join(domain)) is not bool(prefix)


@PROPERTY
@given(address=st.integers(0, 2 ** 32 - 1), network=st.integers(0, 2 ** 32 - 1), length=st.integers(0, 32))
def test_prop_ipv4_matches_like_ipaddress(address: int, network: int, length: int) -> None:
    net = ipaddress.ip_network((network, length), strict=False)
    ip = ipaddress.IPv4Address(address)
    assert names.ip_matches(ip.packed, _ip_constraint(str(net))) is (ip in net)


@PROPERTY
@given(address=st.integers(0, 2 ** 128 - 1), network=st.integers(0, 2 ** 128 - 1), length=st.integers(0, 128))
def test_prop_ipv6_matches_like_ipaddress(address: int, network: int, length: int) -> None:
    net = ipaddress.ip_network((network, length), strict=False)
    ip = ipaddress.IPv6Address(address)
    assert names.ip_matches(ip.packed, _ip_constraint(str(net))) is (ip in net)


def _ordered_name(rdns: list[tuple[str, str]]) -> x509.Name:
    """A Name with one attribute per RDN, in the order given (``builder.name`` may reorder)."""
    return x509.Name(name="", value=x509.RDNSequence([
        x509.RelativeDistinguishedName([x509.NameTypeAndValue({"type": k, "value": x509.DirectoryString(
            name="utf8_string", value=v)})]) for k, v in rdns]))


rdn_value = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
rdn = st.tuples(st.sampled_from(["country_name", "organization_name", "organizational_unit_name", "common_name"]), rdn_value)


@PROPERTY
@given(base=st.lists(rdn, min_size=1, max_size=3), extra=st.lists(rdn, max_size=3))
def test_prop_directory_prefix_matches(base: list[tuple[str, str]], extra: list[tuple[str, str]]) -> None:
    assert names.directory_matches(_ordered_name(base + extra), _ordered_name(base))


@PROPERTY
@given(base=st.lists(rdn, min_size=1, max_size=3), extra=st.lists(rdn, max_size=3), other=rdn_value)
def test_prop_directory_differing_first_rdn_never_matches(base, extra, other) -> None:
    assume(other != base[0][1])
    changed = [(base[0][0], other)] + base[1:]
    assert not names.directory_matches(_ordered_name(changed + extra), _ordered_name(base))



@pytest.mark.parametrize("uri", ["https://www.%65vil.com/", "https://www.evil%2Ecom/", "https://www.ev%69l.com/"])
def test_uri_host_percent_encoding_cannot_escape_a_subtree(uri: str) -> None:
    try:
        matched = names.uri_matches(uri, ".evil.com")
    except names.NameConstraintViolation:
        return  # refusing the URI outright is as good as matching it
    assert matched is True
