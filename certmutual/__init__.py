"""certmutual: province-wide mutual recognition of certificates and electronic seals (一证通).

The recipe layer is :class:`Verifier`; results are :class:`VerificationResult` values whose reasons
come from :class:`ReasonCode`. Everything under ``certmutual.crypto`` is the hazmat layer.
"""

from certmutual.pki.policy import Policy
from certmutual.results import Reason, ReasonCode, Status, VerificationResult
from certmutual.verifier import Verifier

__all__ = ["Policy", "Reason", "ReasonCode", "Status", "VerificationResult", "Verifier"]
__version__ = "0.1.0"
