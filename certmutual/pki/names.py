"""Name matching for RFC 5280 §4.2.1.10 name constraints.

Supported forms: directoryName, dNSName, rfc822Name, iPAddress and uniformResourceIdentifier. A
constraint of any other form (otherName, x400Address, ediPartyName, registeredID) is honoured by
failing closed: a certificate that carries a name of that form under such a constraint is refused.
Every comparison is counted against a budget so that hostile certificates with thousands of names
and subtrees cannot make validation quadratic without bound (Go's crypto/x509 does the same).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import unquote
from dataclasses import dataclass, field

from asn1crypto import x509

from certmutual.asn1.der import ASN1_ERRORS
from certmutual.pki.certificate import Certificate

SUPPORTED_FORMS = frozenset({"directory_name", "dns_name", "rfc822_name", "ip_address", "uniform_resource_identifier"})


class NameConstraintViolation(Exception):
    """Carries the human message; turned into the ``name_constraints`` reason by the caller."""


class BudgetExhausted(Exception):
    pass


@dataclass
class ComparisonBudget:
    remaining: int

    def spend(self, count: int = 1) -> None:
        self.remaining -= count
        if self.remaining < 0:
            raise BudgetExhausted("name-constraint comparison budget exhausted")


@dataclass(frozen=True)
class Subtrees:
    permitted: dict[str, list[object]] = field(default_factory=dict)
    excluded: dict[str, list[object]] = field(default_factory=dict)


def parse_subtrees(constraints: x509.NameConstraints) -> Subtrees:
    """Group a NameConstraints extension's subtrees by name form. Raises NameConstraintViolation
    for subtrees that cannot be honoured (minimum/maximum other than the defaults, bad IP masks)."""
    result = Subtrees()
    for key, target in (("permitted_subtrees", result.permitted), ("excluded_subtrees", result.excluded)):
        subtrees = constraints[key]
        if subtrees.native is None:
            continue
        for subtree in subtrees:
            if subtree["minimum"].native not in (0, None) or subtree["maximum"].native is not None:
                raise NameConstraintViolation("subtree minimum/maximum must be absent (RFC 5280 §4.2.1.10)")
            base = subtree["base"]
            form = base.name
            target.setdefault(form, []).append(_constraint_value(form, base))
    return result


def _constraint_value(form: str, base: x509.GeneralName) -> object:
    if form == "ip_address":
        raw = base.chosen.contents
        if len(raw) not in (8, 32):
            raise NameConstraintViolation(f"iPAddress constraint of {len(raw)} bytes")
        half = len(raw) // 2
        address, mask = int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
        bits = half * 8
        inverted = ~mask & ((1 << bits) - 1)
        if inverted & (inverted + 1):
            raise NameConstraintViolation("iPAddress constraint with a non-contiguous mask")
        return (half, address & mask, mask)
    if form == "directory_name":
        return base.chosen
    if form == "dns_name":
        value = _ia5(base.chosen)
        if value.startswith("."):
            # RFC 5280 §4.2.1.10 allows a leading period for URI and email constraints, not DNS.
            raise NameConstraintViolation(f"dNSName constraint {value!r} has a leading period")
        return value
    if form in ("rfc822_name", "uniform_resource_identifier"):
        return _ia5(base.chosen)
    return None


def _ia5(value: object) -> str:
    """An IA5String's text straight from its bytes: asn1crypto's ``.native`` for URIs runs an IRI
    conversion that raises on hostile input."""
    try:
        return value.contents.decode("ascii")  # type: ignore[attr-defined]
    except UnicodeDecodeError:
        raise NameConstraintViolation("non-ASCII IA5String in a name") from None


def names_of(cert: Certificate) -> dict[str, list[object]]:
    """Every name the certificate asserts, grouped by form (subject DN, SAN, emailAddress in the DN)."""
    names: dict[str, list[object]] = {}
    if len(cert.subject.chosen) > 0:
        names.setdefault("directory_name", []).append(cert.subject)
        for rdn in cert.subject.chosen:
            for atv in rdn:
                if atv["type"].native == "email_address":
                    names.setdefault("rfc822_name", []).append(atv["value"].native)
    if cert.subject_alt_names is not None:
        for general_name in cert.subject_alt_names:
            form = general_name.name
            if form == "ip_address":
                names.setdefault(form, []).append(general_name.chosen.contents)
            elif form == "directory_name":
                names.setdefault(form, []).append(general_name.chosen)
            elif form in ("dns_name", "rfc822_name", "uniform_resource_identifier"):
                names.setdefault(form, []).append(_ia5(general_name.chosen))
            else:
                names.setdefault(form, []).append(None)
    return names


def check(subtrees: Subtrees, cert: Certificate, budget: ComparisonBudget) -> None:
    """Raise :class:`NameConstraintViolation` if a name of ``cert`` falls outside ``subtrees``."""
    for form, values in names_of(cert).items():
        permitted = subtrees.permitted.get(form)
        excluded = subtrees.excluded.get(form, [])
        if form not in SUPPORTED_FORMS:
            if permitted is not None or excluded:
                raise NameConstraintViolation(f"constraints on {form} names are not supported")
            continue
        for value in values:
            for constraint in excluded:
                budget.spend()
                if _matches(form, value, constraint) or (form == "dns_name" and _wildcard_reaches(str(value), str(constraint))):
                    raise NameConstraintViolation(f"{form} {_show(value)} is in an excluded subtree")
            if permitted is not None:
                budget.spend(len(permitted))
                if not any(_matches(form, value, constraint) for constraint in permitted):
                    raise NameConstraintViolation(f"{form} {_show(value)} is not in any permitted subtree")


def _show(value: object) -> str:
    if isinstance(value, x509.Name):
        return repr(value.human_friendly)
    if isinstance(value, bytes):
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return value.hex()
    return repr(value)


def _matches(form: str, value: object, constraint: object) -> bool:
    try:
        if form == "dns_name":
            return dns_matches(str(value), str(constraint))
        if form == "rfc822_name":
            return email_matches(str(value), str(constraint))
        if form == "ip_address":
            return ip_matches(value, constraint)  # type: ignore[arg-type]
        if form == "directory_name":
            return directory_matches(value, constraint)
        if form == "uniform_resource_identifier":
            return uri_matches(str(value), str(constraint))
    except ASN1_ERRORS as exc:
        raise NameConstraintViolation(f"unreadable {form}: {exc}") from exc
    return False


def _labels(name: str) -> list[str] | None:
    name = name.lower()
    if name.endswith("."):
        name = name[:-1]
    if not name:
        return []
    labels = name.split(".")
    if any(not label for label in labels):
        return None
    return labels


def dns_matches(name: str, constraint: str) -> bool:
    """RFC 5280: a name matches if zero or more labels added on the left of the constraint give it.
    A constraint with a leading dot (a common extension) matches subdomains only."""
    if constraint == "":
        return True
    only_subdomains = constraint.startswith(".")
    constraint_labels = _labels(constraint[1:] if only_subdomains else constraint)
    name_labels = _labels(name)
    if constraint_labels is None or name_labels is None:
        # An unparseable name cannot be shown to be inside (or outside) a subtree: treat as a match
        # for excluded checks and a miss for permitted ones by failing closed at the caller.
        raise NameConstraintViolation(f"malformed DNS name {name!r} or constraint {constraint!r}")
    if len(name_labels) < len(constraint_labels) + (1 if only_subdomains else 0):
        return False
    return name_labels[len(name_labels) - len(constraint_labels):] == constraint_labels


def _wildcard_reaches(name: str, constraint: str) -> bool:
    """Whether a wildcard name ``*.rest`` could stand for a host inside ``constraint``: a constraint
    one label below ``rest`` (CVE-2025-61727: ``*.example.com`` vs excluded ``bar.example.com``)."""
    if not name.startswith("*."):
        return False
    rest, wanted = _labels(name[2:]), _labels(constraint)
    return rest is not None and wanted is not None and len(wanted) == len(rest) + 1 and wanted[1:] == rest


def email_matches(mailbox: str, constraint: str) -> bool:
    """RFC 5280: a constraint is a mailbox, a host (all mailboxes there) or ``.domain`` (subdomains)."""
    if mailbox.count("@") != 1:
        raise NameConstraintViolation(f"malformed rfc822Name {mailbox!r}")
    local, _, host = mailbox.rpartition("@")
    if "@" in constraint:
        c_local, _, c_host = constraint.rpartition("@")
        return local == c_local and host.lower() == c_host.lower()
    if constraint.startswith("."):
        return dns_matches(host, constraint)
    return host.lower() == constraint.lower()


def ip_matches(address: bytes, constraint: tuple[int, int, int]) -> bool:
    size, network, mask = constraint
    if len(address) != size:
        return False
    return int.from_bytes(address, "big") & mask == network


def directory_matches(name: x509.Name, constraint: x509.Name) -> bool:
    """The name's RDN sequence begins with the constraint's (RFC 5280 §7.1 comparison rules)."""
    name_rdns = list(name.chosen)
    constraint_rdns = list(constraint.chosen)
    if len(constraint_rdns) > len(name_rdns):
        return False
    return all(a == b for a, b in zip(name_rdns, constraint_rdns))


def uri_matches(uri: str, constraint: str) -> bool:
    """RFC 5280 §4.2.1.10: a URI constraint is a host (that host only) or ``.domain`` (any host
    below it); it is compared with the URI's host, never with its path or port."""
    host = uri_host(uri)
    if constraint.startswith("."):
        return dns_matches(host, constraint)
    return host.lower().rstrip(".") == constraint.lower().rstrip(".")


def uri_host(uri: str) -> str:
    """The host of ``scheme://[userinfo@]host[:port]/...``; raises NameConstraintViolation if none."""
    scheme, separator, rest = uri.partition("://")
    if not separator or not scheme:
        raise NameConstraintViolation(f"URI without an authority: {uri!r}")
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = authority.rpartition("@")[2]
    if host.startswith("["):
        raise NameConstraintViolation(f"URI with an IP-literal host: {uri!r}")
    host = unquote(host.split(":", 1)[0])
    # Compare the host a client would reach: percent-decoded (RFC 3986 §3.2.2), and refused when
    # decoding yields anything a host name cannot hold.
    if not host or any(ch in host for ch in "%/@:?#[] ") or not host.isascii():
        raise NameConstraintViolation(f"URI without a usable host: {uri!r}")
    return host
