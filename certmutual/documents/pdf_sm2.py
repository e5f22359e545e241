"""The SM2 hook into pyHanko: SM2 signature maths by :mod:`certmutual.crypto`.

pyHanko checks a CMS SignerInfo (contentType, messageDigest, ESS signing-certificate, algorithm
protection) and hands the signature maths to a ``SignatureValidator`` (pyhanko_certvalidator's
``sig_validate`` hook). :class:`Sm2SignatureValidator` is that hook with SM2 added.
"""

from __future__ import annotations

from asn1crypto import algos, keys
from cryptography.exceptions import InvalidSignature as _CryptographyInvalidSignature
from pyhanko_certvalidator.errors import AlgorithmNotSupported
from pyhanko_certvalidator.sig_validate import DEFAULT_VALIDATION_CONTEXT, DefaultSignatureValidator, SignatureValidationContext

from certmutual.crypto import registry
from certmutual.crypto.oids import SM_OID
from certmutual.crypto.sm2 import DEFAULT_USER_ID
from certmutual.errors import InvalidSignature, MalformedInput, UnsupportedAlgorithm

_SM2_ALGORITHMS = frozenset({SM_OID.SM2_WITH_SM3, SM_OID.SM2_SIGN, SM_OID.SM2})
"""SM2-with-SM3, and the bare key OIDs GM/T 0010 producers write as the signature algorithm."""


class Sm2SignatureValidator(DefaultSignatureValidator):
    """pyHanko's signature-maths hook with SM2 added: SM2 over SM3(Z_A(``user_id``) || message) by
    :mod:`certmutual.crypto`; every other key goes to pyHanko's default (pyca/cryptography).

    SM2 signs with SM3 whatever the SignerInfo's digestAlgorithm says (GM/T 0010 §7, as
    :mod:`certmutual.documents.cms` reads it). An SM2 key with a non-SM2 algorithm, or the reverse,
    cannot have made the signature (InvalidSignature). SM2 cannot verify a bare digest (no signed
    attributes), since Z_A is hashed in front of the message: that raises AlgorithmNotSupported.

    pyHanko reads AlgorithmNotSupported (a subclass of InvalidSignature) as "not valid"; the last
    one raised is kept in :attr:`unsupported`, so the caller can tell ``unsupported_algorithm`` from
    ``bad_signature``. One instance serves one signature."""

    def __init__(self, user_id: bytes = DEFAULT_USER_ID) -> None:
        self.user_id = user_id
        self.unsupported: str | None = None

    def validate_signature(
        self,
        signature: bytes,
        signed_data: bytes,
        public_key_info: keys.PublicKeyInfo,
        signature_algorithm: algos.SignedDigestAlgorithm,
        context: SignatureValidationContext = DEFAULT_VALIDATION_CONTEXT,
    ) -> None:
        try:
            self._validate(signature, signed_data, public_key_info, signature_algorithm, context)
        except AlgorithmNotSupported as exc:
            self.unsupported = str(exc) or type(exc).__name__
            raise

    def _validate(
        self,
        signature: bytes,
        signed_data: bytes,
        public_key_info: keys.PublicKeyInfo,
        signature_algorithm: algos.SignedDigestAlgorithm,
        context: SignatureValidationContext,
    ) -> None:
        algorithm = signature_algorithm["algorithm"].dotted
        key = _sm2_key(public_key_info)
        if key is None and algorithm not in _SM2_ALGORITHMS:
            super().validate_signature(signature, signed_data, public_key_info, signature_algorithm, context)
            return
        if key is None or algorithm not in _SM2_ALGORITHMS:
            raise _CryptographyInvalidSignature(f"an SM2 signature needs an SM2 key and algorithm ({algorithm})")
        if context.prehashed:
            raise AlgorithmNotSupported("SM2 signs SM3(Z_A || message): it cannot be verified over a bare digest "
                                        "(a signature without signed attributes)")
        try:
            registry.verify_signature(key, SM_OID.SM2_WITH_SM3, None, signature, signed_data, sm2_user_id=self.user_id)
        except (InvalidSignature, MalformedInput) as exc:
            raise _CryptographyInvalidSignature(str(exc)) from None


def _sm2_key(public_key_info: keys.PublicKeyInfo) -> registry.PublicKey | None:
    try:
        key = registry.load_public_key(public_key_info.dump())
    except (MalformedInput, UnsupportedAlgorithm):
        return None
    return key if key.key_type is registry.KeyType.SM2 else None


__all__ = ["Sm2SignatureValidator"]
