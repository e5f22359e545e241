"""The fallback never crashes: arbitrary subject strings and arbitrary extension octets under every
vendor-recognised issuer give an Identity (perhaps an empty one), never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certmutual.identity.extractor import identify
from certmutual.identity.model import Identity
from certmutual.identity.profiles import load_profiles
from tests.identity.identity_factory import leaf

PROFILES = load_profiles()
ISSUERS = [{"common_name": "CFCA ACS SM2 OCA31"}, {"common_name": "CEGN_SEAL_CA"}, {"common_name": "CSCA Easysign SM2 CA"},
           {"common_name": "税务电子证书管理中心(SM2)"}, {"common_name": "FJCASM2"}, {"common_name": "Unknown CA"}]
IDENTITY_OIDS = ["1.2.156.10260.4.1.1", "1.2.156.10260.4.1.4", "1.2.86.11.7.3", "1.2.156.112562.2.1.1.24",
                 "1.2.156.112570.11.205", "1.2.86.21.1.3", "2.16.156.112548"]
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(issuer=st.sampled_from(ISSUERS), common_name=text, organization=text, surname=text,
       extension_oid=st.sampled_from(IDENTITY_OIDS), extension_value=st.binary(max_size=80))
def test_identify_never_raises(issuer: dict[str, str], common_name: str, organization: str, surname: str,
                               extension_oid: str, extension_value: bytes) -> None:
    cert = leaf(issuer, [("surname", surname), ("organization_name", organization), ("common_name", common_name)],
                extensions=[(extension_oid, extension_value)])
    identity = identify(cert, PROFILES)
    assert isinstance(identity, Identity)
    identity.to_dict()
    if identity.credit_code is not None:
        assert len(identity.credit_code) == 18
