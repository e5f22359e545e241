"""PKI: the certificate model, path building and validation, revocation (CRL), name constraints."""
