"""The checks, one function each, registered on import (see :mod:`certmutual.conformance.registry`)."""

from certmutual.conformance.checks import algorithms, certificates, crl, extensions, identity, ocsp, seals  # noqa: F401
