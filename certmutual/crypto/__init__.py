"""Cryptographic primitives: certmutual's hazmat layer.

Callers use :class:`certmutual.Verifier`; this package is for the layers above it. It knows nothing of
certificates: it verifies a signature given a SubjectPublicKeyInfo, an algorithm and bytes.
"""
