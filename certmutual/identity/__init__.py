"""One identity model for every vendor's certificates (一证通: one market entity, whatever the CA).

Reads a certificate, never a path: :func:`identify` turns a certificate's subject and identity
extensions, read through the matching vendor profile (``vendors/<id>/profile.toml``), into an
:class:`Identity` with the evidence for each field.
"""
