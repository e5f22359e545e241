"""The province trust list: which CA vendors are recognised, for which services, since when.

``model`` holds the plain data and the point-in-time rules; ``document`` the signed JSON format
(``specs/trust-list.md``, schema ``trust_list.schema.json`` beside this file).
"""

from certmutual.pki.trustlist.document import TrustListError, canonical_bytes, load_trust_list, sign_trust_list, verify_trust_list
from certmutual.pki.trustlist.model import RevocationPolicy, Service, StatusPeriod, TrustList, VendorEntry, VendorStatus

__all__ = [
    "RevocationPolicy", "Service", "StatusPeriod", "TrustList", "TrustListError", "VendorEntry", "VendorStatus",
    "canonical_bytes", "load_trust_list", "sign_trust_list", "verify_trust_list",
]
