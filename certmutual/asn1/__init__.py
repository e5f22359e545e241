"""ASN.1 models: OID registration with asn1crypto and a minimal DER reader for original bytes."""

from certmutual.asn1 import oids as _oids

_oids.register()
