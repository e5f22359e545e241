"""Exceptions: misuse, unsupported input and cryptographic failure at the primitive layer.

A *verdict* (expired, revoked, bad signature on a certificate) is never an exception: it is a
:class:`certmutual.results.Reason` inside a :class:`certmutual.results.VerificationResult`. Exceptions
are raised by the primitive layer (``certmutual.crypto``), by parsers handed bytes they cannot read,
and for misuse of the API.
"""

from __future__ import annotations

import enum


class CertmutualError(Exception):
    """Base class of every exception certmutual raises on purpose."""


class InvalidSignature(CertmutualError):
    """A signature did not verify (primitive layer only; callers above turn it into a Reason)."""


class UnsupportedReason(enum.Enum):
    """Why an algorithm or key is unsupported."""

    UNKNOWN_SIGNATURE_ALGORITHM = "unknown signature algorithm"
    UNKNOWN_KEY_TYPE = "unknown public key type"
    UNKNOWN_CURVE = "unknown elliptic curve"
    KEY_ALGORITHM_MISMATCH = "signature algorithm does not fit the key"
    WEAK_ALGORITHM = "algorithm refused by policy"
    BAD_PARAMETERS = "unsupported algorithm parameters"


class UnsupportedAlgorithm(CertmutualError):
    """The algorithm, key type or parameters are not supported (fail closed)."""

    def __init__(self, reason: UnsupportedReason, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)


class MalformedInput(CertmutualError):
    """Bytes that cannot be parsed as the structure they claim to be."""


class UsageError(CertmutualError):
    """The API was called wrongly (bad argument types or combinations)."""


class ConfigurationError(CertmutualError):
    """Configuration data (a vendor profile, a trust list, a policy file) that does not match its
    schema. The message names the file and the offending place in it."""


DECODER_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError, RecursionError)
"""The built-in exceptions third-party decoders (asn1crypto above all, which has no exception type of
its own) raise on bytes they cannot make sense of. Caught where such a decoder meets outside bytes
and turned into :class:`MalformedInput` or a reason."""
