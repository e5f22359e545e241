"""Signed documents: OFD packages (GB/T 33190, GM/T 0099), CMS / PKCS#7 SignedData (RFC 5652,
GM/T 0010) and PDF signatures (ISO 32000, through pyHanko).

Each verifier takes the document's bytes and a :class:`~certmutual.seals.protocol.CertificateVerifier`
(a :class:`certmutual.Verifier`), so every signer certificate is judged by the same trust decision as
a bare certificate. None raises for what the bytes contain: hostile or unreadable input is a result
with a reason code.
"""

from certmutual.documents.cms import verify_cms
from certmutual.documents.ofd import verify_ofd
from certmutual.documents.pdf import PdfResult, PdfSignatureResult, verify_pdf
from certmutual.documents.results import CmsResult, OfdResult, OfdSignatureResult, SignerResult

__all__ = [
    "CmsResult",
    "OfdResult",
    "OfdSignatureResult",
    "PdfResult",
    "PdfSignatureResult",
    "SignerResult",
    "verify_cms",
    "verify_ofd",
    "verify_pdf",
]
