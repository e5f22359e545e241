"""PDF documents made and signed by the tests, through pyHanko, with the test PKI's keys.

- :func:`blank_pdf`: a one-page PDF whose page content is an uncompressed stream (so a test can
  flip a bit in signed text and know it is still a readable PDF).
- :func:`sign_pdf`: a signature by a :mod:`tests.pki_factory` chain's leaf. RSA and ECDSA keys sign
  through pyHanko's own ``SimpleSigner`` (pyca/cryptography); SM2 through :class:`Sm2Signer`, a
  pyHanko ``Signer`` whose raw signature is certmutual's SM2 (SM3 over Z_A with the default ID,
  signature mechanism 1.2.156.10197.1.501), over SM3 or SHA-256 ByteRange digests.
- tampers: :func:`flip_bit`, :func:`swap_certificate` (a different certificate put into the CMS
  where the signer's was, the ByteRange untouched), :func:`append_content_change` (an incremental
  update that rewrites the page after signing), :func:`append_field`, :func:`resign_with_gap` (a
  signature whose ByteRange leaves bytes besides the signature value unsigned).
- decompression bombs: :func:`object_stream_bomb` (the catalogue in an object stream that inflates
  to any size), :func:`security_store_bomb` (document security store certificates that do).
"""

from __future__ import annotations

import functools
import io
import zlib
from typing import Any

from asn1crypto import algos, cms, core, keys, x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import Signer, SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from certmutual.asn1.oids import GMT0010_OID
from certmutual.crypto.oids import SM_OID
from certmutual.pki.builder import KeyKind, SigningKey
from certmutual.pki.certificate import Certificate
from tests.pki_factory import TestChain

PAGE_TEXT = b"certmutual signed PDF test page"


def blank_pdf(text: bytes = PAGE_TEXT) -> bytes:
    """A one-page PDF (classic xref table) showing ``text`` in Helvetica."""
    writer = PdfFileWriter(stream_xrefs=False)
    font = generic.DictionaryObject({pdf_name("/Type"): pdf_name("/Font"), pdf_name("/Subtype"): pdf_name("/Type1"),
                                     pdf_name("/BaseFont"): pdf_name("/Helvetica")})
    resources = generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): writer.add_object(font)})})
    content = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"))
    writer.insert_page(PageObject(content, (0, 0, 595, 842), resources))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _asn1(cert: Certificate) -> x509.Certificate:
    return x509.Certificate.load(cert.der)


class Sm2Signer(Signer):
    """A pyHanko signer whose raw signatures are certmutual's SM2 (SM2-with-SM3, default user ID)."""

    def __init__(self, key: SigningKey, cert: Certificate, others: tuple[Certificate, ...]) -> None:
        assert key.kind is KeyKind.SM2
        self.key = key
        super().__init__(signing_cert=_asn1(cert), cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in others]),
                         signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": SM_OID.SM2_WITH_SM3}))

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        return self.sign_raw(data, digest_algorithm)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """SM2 over SM3(Z_A || data) whatever ``digest_algorithm`` (the ByteRange digest) is."""
        return self.key.sign(data)


def signer_for(chain: TestChain, *, cert: Certificate | None = None, embed: tuple[Certificate, ...] | None = None) -> Signer:
    """The pyHanko signer of ``chain``'s leaf key (certificate ``cert``, default the leaf), embedding
    ``embed`` (default the intermediate: the root is the verifier's to know)."""
    cert = cert or chain.leaf
    others = embed if embed is not None else (chain.intermediate,)
    if chain.kind is KeyKind.SM2:
        return Sm2Signer(chain.leaf_key, cert, others)
    private = keys.PrivateKeyInfo.load(_der_private(chain.leaf_key))
    return SimpleSigner(signing_cert=_asn1(cert), signing_key=private,
                        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in others]))


def _der_private(key: SigningKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def sign_pdf(
    pdf: bytes,
    chain: TestChain,
    *,
    field: str = "Signature1",
    md: str | None = None,
    certify: bool = False,
    docmdp: fields.MDPPerm | None = None,
    signer: Signer | None = None,
    ignore_certification: bool = False,
) -> bytes:
    """``pdf`` with one more signature (an incremental update), by ``chain``'s leaf. ``md`` is the
    ByteRange digest (default: sm3 for SM2, sha256 otherwise); ``certify`` makes it a
    certification signature with ``docmdp`` permissions. ``ignore_certification`` signs even where
    an earlier certification signature forbids it (pyHanko refuses; a forger's tool would not)."""
    digest = md or ("sm3" if chain.kind is KeyKind.SM2 else "sha256")
    meta: dict[str, Any] = {"field_name": field, "md_algorithm": digest}
    if certify:
        meta.update(certify=True, docmdp_permissions=docmdp or fields.MDPPerm.FILL_FORMS)
    pdf_signer = signers.PdfSigner(signers.PdfSignatureMetadata(**meta), signer=signer or signer_for(chain))
    if ignore_certification:
        pdf_signer._enforce_certification_constraints = lambda *args: None  # type: ignore[method-assign]
    return pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf))).getvalue()


# -- tampers -------------------------------------------------------------------------------------


def flip_bit(pdf: bytes, needle: bytes = PAGE_TEXT, bit: int = 0) -> bytes:
    """``pdf`` with one bit flipped in the first occurrence of ``needle`` (signed page text)."""
    at = pdf.index(needle)
    out = bytearray(pdf)
    out[at] ^= 1 << bit
    return bytes(out)


def _contents_span(pdf: bytes, index: int = 0) -> tuple[int, int]:
    """Where the hex /Contents of the ``index``-th signature sits: between its two ranges."""
    reader = PdfFileReader(io.BytesIO(pdf))
    byte_range = reader.embedded_signatures[index].byte_range
    return int(byte_range[1]), int(byte_range[2])


def with_gmt0010_content_type(pdf: bytes, index: int = 0) -> bytes:
    """``pdf`` whose ``index``-th signature's ContentInfo names GM/T 0010 SignedData
    (1.2.156.10197.6.1.4.2.2) instead of RFC 5652's, as Chinese PDF signers write it. /Contents is
    outside the ByteRange, so the signature still covers what it covered."""
    start, end = _contents_span(pdf, index)
    hex_text = pdf[start + 1 : end - 1]
    info = cms.ContentInfo.load(bytes.fromhex(hex_text.decode("ascii")))
    content = info.contents[len(info["content_type"].dump()):]  # the [0] EXPLICIT SignedData, as signed
    body = core.ObjectIdentifier(GMT0010_OID.SIGNED_DATA).dump() + content
    length = len(body).to_bytes((len(body).bit_length() + 7) // 8, "big")
    new_hex = (b"\x30" + bytes([0x80 | len(length)]) + length + body).hex().encode("ascii")
    assert len(new_hex) <= len(hex_text), "the rewritten ContentInfo does not fit the reserved /Contents"
    return pdf[: start + 1] + new_hex.ljust(len(hex_text), b"0") + pdf[end - 1 :]


def with_unreadable_signature(pdf: bytes, index: int = 0) -> bytes:
    """``pdf`` whose ``index``-th signature's /Contents holds a DER SEQUENCE that is no ContentInfo
    (same length; the ByteRange is untouched)."""
    start, end = _contents_span(pdf, index)
    width = end - 1 - (start + 1)
    return pdf[: start + 1] + b"300302010500".ljust(width, b"0") + pdf[end - 1 :]


def swap_certificate(pdf: bytes, replacement: Certificate, replaced: Certificate, index: int = 0) -> bytes:
    """``pdf`` with ``replaced`` swapped for ``replacement`` among the certificates of its
    ``index``-th signature's SignedData (same length /Contents; the ByteRange is untouched)."""
    start, end = _contents_span(pdf, index)
    hex_text = pdf[start + 1 : end - 1]
    info = cms.ContentInfo.load(bytes.fromhex(hex_text.decode("ascii")))
    signed = info["content"]
    swapped = [replacement.der if choice.chosen.dump() == replaced.der else choice.chosen.dump()
               for choice in signed["certificates"]]
    assert replacement.der in swapped, "the certificate to replace is not embedded"
    signed["certificates"] = [cms.CertificateChoices({"certificate": x509.Certificate.load(der)}) for der in swapped]
    new_hex = info.dump().hex().encode("ascii")
    assert len(new_hex) <= len(hex_text), "the replacement does not fit the reserved /Contents"
    return pdf[: start + 1] + new_hex.ljust(len(hex_text), b"0") + pdf[end - 1 :]


def append_content_change(pdf: bytes, text: bytes = b"a different page, after signing") -> bytes:
    """An incremental update that replaces the first page's content stream."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[pdf_name("/Contents")] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def append_field(pdf: bytes, name: str = "Extra") -> bytes:
    """An incremental update that adds an empty signature field (form-filling level)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=name))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def resign_with_gap(pdf: bytes, chain: TestChain, gap: int = 16, **sm2_options: Any) -> bytes:
    """The first signature of ``pdf`` replaced by a detached CMS SignedData of the test factories
    (SM2 in the GM/T 0010 style: sm2-1 signature OID, SM3, no ESS attribute; RSA/ECDSA by OpenSSL)
    over a ByteRange whose second part starts ``gap`` bytes later: the signature verifies, but the
    range leaves ``gap`` bytes besides the signature value unsigned (``gap=0``: a proper range).
    ``sm2_options`` go to :func:`tests.documents.cms_factory.sm2_signed_data`."""
    from tests.documents.cms_factory import pkcs7_signed_data, sm2_signed_data

    start, end = _contents_span(pdf)
    old_range = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].byte_range
    first, second = int(old_range[1]), int(old_range[3])
    new_range = f"[0 {first} {end + gap} {second - gap}]".encode()
    marker = pdf.index(b"/ByteRange [", end)
    closing = pdf.index(b"]", marker) + 1
    old_text = pdf[marker + len(b"/ByteRange ") : closing]
    padding = len(old_text) - len(new_range) + (pdf[closing:].index(b"\n"))
    pdf = pdf[: marker + len(b"/ByteRange ")] + new_range + b" " * padding + pdf[closing + pdf[closing:].index(b"\n"):]
    covered = pdf[:first] + pdf[end + gap : end + second]
    if chain.kind is KeyKind.SM2:
        signature = sm2_signed_data(chain, covered, detached=True, gmt_oids=False,
                                    certificates=(chain.leaf, chain.intermediate), **sm2_options)
    else:
        signature = pkcs7_signed_data(chain, covered, detached=True, certificates=(chain.intermediate,))
    hex_text = signature.hex().encode("ascii")
    assert len(hex_text) <= end - start - 2
    return pdf[: start + 1] + hex_text.ljust(end - start - 2, b"0") + pdf[end - 1 :]


__all__ = ["PAGE_TEXT", "Sm2Signer", "append_content_change", "append_field", "blank_pdf", "flip_bit", "resign_with_gap", "sign_pdf",
           "signer_for", "swap_certificate"]


def bogus_metadata_update(data: bytes) -> bytes:
    """``data`` with an incremental update that replaces the document metadata with junk, a change
    no signature's modification policy allows (pyHanko's own test of ModificationLevel.OTHER)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer._update_meta = lambda: None  # type: ignore[method-assign]
    writer.root["/Metadata"] = writer.add_object(generic.StreamObject(stream_data=b"This is bogus data"))
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()



@functools.lru_cache(maxsize=4)
def _deflated_zeros(size: int, head: bytes = b"") -> bytes:
    """``head`` then zero bytes up to ``size`` in all, as one deflate stream (about a thousandth of
    the size), made without holding the inflated bytes. Kept: a GiB takes seconds to deflate."""
    compressor = zlib.compressobj(9)
    parts, block, remaining = [compressor.compress(head)], bytes(1 << 20), size - len(head)
    while remaining > 0:
        parts.append(compressor.compress(block[:min(len(block), remaining)]))
        remaining -= len(block)
    return b"".join(parts) + compressor.flush()


def object_stream_bomb(decoded_size: int) -> bytes:
    """A PDF whose catalogue lives in an object stream (``/Type /ObjStm``) that inflates to
    ``decoded_size`` bytes: a reader learns nothing, not even that the document is unsigned,
    without decoding it. The cross-reference stream is not compressed: only the object stream is
    a bomb."""
    index = b"1 0 "
    objstm = _deflated_zeros(decoded_size, index + b"<< /Type /Catalog /Pages 2 0 R >> ")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    pages = len(out)
    out += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    stream = len(out)
    out += (b"3 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(index), len(objstm)) + objstm + b"\nendstream\nendobj\n")
    xref = len(out)
    # /W [1 4 2]: object 0 free, 1 the first object of object stream 3, 2 to 4 at their offsets.
    entries = [(0, 0, 0xFFFF), (2, 3, 0), (1, pages, 0), (1, stream, 0), (1, xref, 0)]
    table = b"".join(kind.to_bytes(1, "big") + a.to_bytes(4, "big") + b.to_bytes(2, "big") for kind, a, b in entries)
    out += (b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
            + table + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def security_store_bomb(pdf: bytes, decoded_size: int, count: int = 1) -> bytes:
    """``pdf`` with an incremental update adding a document security store (``/DSS``) whose
    ``count`` certificates are streams inflating to ``decoded_size`` zero bytes each."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    deflated = _deflated_zeros(decoded_size)
    bombs = [writer.add_object(generic.StreamObject({pdf_name("/Filter"): pdf_name("/FlateDecode")}, encoded_data=deflated))
             for _ in range(count)]
    dss = generic.DictionaryObject({pdf_name("/Certs"): generic.ArrayObject(bombs)})
    writer.root[pdf_name("/DSS")] = writer.add_object(dss)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
