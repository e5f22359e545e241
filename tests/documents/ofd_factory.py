"""OFD packages made by the tests (and the OFD benchmark): pages, Signatures.xml, one Signature.xml per
signature with SM3 References, and a SignedValue that is either a GM/T 0010 SignedData (Type=Sign,
detached over Signature.xml or with its SM3 encapsulated) or a GB/T 38540 v4 SES_Signature
(Type=Seal) with a Seal.esl copy, all signed with SM2 by :mod:`tests.pki_factory` keys.

The SES_Signature encoder here is deliberately minimal (the fields of china-specs §4.3, DER by hand);
the seals layer has its own tests for the many shapes real seals take.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from asn1crypto import core

from certmutual.crypto.oids import SM_OID
from certmutual.crypto.sm3 import sm3
from certmutual.pki.builder import SigningKey
from certmutual.pki.certificate import Certificate
from tests.documents.cms_factory import sm2_signed_data, tlv
from tests.pki_factory import DAY, REF_TIME, YEAR, TestChain

NS = "http://www.ofdspec.org/2016"
PNG_1X1 = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def _time(moment: datetime.datetime) -> bytes:
    return core.GeneralizedTime(moment).dump()


def seal_v4(maker_key: SigningKey, maker_cert: Certificate, signers: list[Certificate], *, name: str = "测试单位公章",
            valid_from: datetime.datetime = REF_TIME - YEAR, valid_to: datetime.datetime = REF_TIME + YEAR) -> bytes:
    """A GB/T 38540 SESeal listing ``signers`` (certListType 1), signed by the maker over SES_SealInfo."""
    header = tlv(0x30, core.IA5String("ES").dump() + core.Integer(4).dump() + core.IA5String("CERTMUTUAL").dump())
    cert_list = tlv(0x30, b"".join(core.OctetString(cert.der).dump() for cert in signers))
    prop = tlv(0x30, core.Integer(1).dump() + core.UTF8String(name).dump() + core.Integer(1).dump() + cert_list
               + _time(valid_from) + _time(valid_from) + _time(valid_to))
    picture = tlv(0x30, core.IA5String("PNG").dump() + core.OctetString(PNG_1X1).dump() + core.Integer(40).dump()
                  + core.Integer(40).dump())
    seal_info = tlv(0x30, header + core.IA5String("ESID-0001").dump() + prop + picture)
    signature = maker_key.sign(seal_info)
    return tlv(0x30, seal_info + core.OctetString(maker_cert.der).dump() + core.ObjectIdentifier(SM_OID.SM2_WITH_SM3).dump()
               + tlv(0x03, b"\x00" + signature))


def ses_signature_v4(seal: bytes, signer_key: SigningKey, signer_cert: Certificate, signed_file: bytes, property_info: str,
                     *, signed_at: datetime.datetime = REF_TIME) -> bytes:
    """A GB/T 38540 SES_Signature: TBS_Sign { 4, seal, timeInfo, SM3(signed file), propertyInfo }."""
    tbs = tlv(0x30, core.Integer(4).dump() + seal + _time(signed_at) + tlv(0x03, b"\x00" + sm3(signed_file))
              + core.IA5String(property_info).dump())
    signature = signer_key.sign(tbs)
    return tlv(0x30, tbs + core.OctetString(signer_cert.der).dump() + core.ObjectIdentifier(SM_OID.SM2_WITH_SM3).dump()
               + tlv(0x03, b"\x00" + signature))


@dataclass
class SignatureSpec:
    """One signature to add: its kind, what it protects, where its stamps go."""

    kind: str = "cms"
    """``cms`` (Type=Sign, GM/T 0010 SignedData), ``cms-attached`` (SM3 of Signature.xml
    encapsulated), or ``ses`` (Type=Seal, SES_Signature v4 with a Seal.esl copy)."""
    pages: tuple[int, ...] = (0,)
    """Pages (0-based) that get a StampAnnot."""
    protect_signature_list: bool = False
    check_method: str | None = "SM3"


@dataclass
class OfdBuilder:
    """Build a package; ``files`` can be edited between :meth:`add_pages` / :meth:`sign` calls."""

    chain: TestChain
    files: dict[str, bytes] = field(default_factory=dict)
    page_ids: list[int] = field(default_factory=list)
    signatures: list[tuple[str, str, str]] = field(default_factory=list)
    """(ID, Type, BaseLoc) entries of Signatures.xml."""
    maker_key: SigningKey | None = None
    maker_cert: Certificate | None = None

    def add_pages(self, count: int) -> OfdBuilder:
        for index in range(count):
            self.page_ids.append(10 + index)
            text = f"第 {index + 1} 页 / page {index + 1}"
            self.files[f"Doc_0/Pages/Page_{index}/Content.xml"] = (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="{1000 + index}">'
                f'<ofd:TextObject ID="{2000 + index}" Boundary="20 20 170 10" Font="3" Size="5"><ofd:TextCode X="0" Y="5">'
                f"{text}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>").encode("utf-8")
        pages = "".join(f'<ofd:Page ID="{pid}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i, pid in enumerate(self.page_ids))
        self.files["Doc_0/Document.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:PageArea>'
            f"<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
            f"<ofd:MaxUnitID>9999</ofd:MaxUnitID></ofd:CommonData><ofd:Pages>{pages}</ofd:Pages></ofd:Document>").encode("utf-8")
        self.files["Doc_0/PublicRes.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
                                             f'<ofd:Fonts><ofd:Font ID="3" FontName="宋体"/></ofd:Fonts></ofd:Res>').encode("utf-8")
        self._write_ofd_xml(signed=False)
        return self

    def _write_ofd_xml(self, signed: bool) -> None:
        signatures = "<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>" if signed else ""
        self.files["OFD.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
            f"<ofd:DocInfo><ofd:DocID>certmutual-test</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
            f"{signatures}</ofd:DocBody></ofd:OFD>").encode("utf-8")

    def _write_signature_list(self) -> None:
        entries = "".join(f'<ofd:Signature ID="{sid}" Type="{kind}" BaseLoc="{loc}"/>' for sid, kind, loc in self.signatures)
        self.files["Doc_0/Signs/Signatures.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Signatures xmlns:ofd="{NS}"><ofd:MaxSignId>{len(self.signatures)}'
            f"</ofd:MaxSignId>{entries}</ofd:Signatures>").encode("utf-8")

    def _maker(self) -> tuple[SigningKey, Certificate]:
        if self.maker_key is None or self.maker_cert is None:
            from tests.pki_factory import get_key, leaf_name

            self.maker_key = get_key(self.chain.kind, "seal-maker")
            self.maker_cert = self.chain.issue_leaf(subject=leaf_name("Seal Maker"), subject_key=self.maker_key, serial=0x2002)
        return self.maker_key, self.maker_cert

    def sign(self, spec: SignatureSpec | None = None, *, hash_function: Callable[[bytes], bytes] = sm3) -> OfdBuilder:
        """Add one signature over the package as it is now."""
        spec = spec or SignatureSpec()
        index = len(self.signatures)
        folder = f"Doc_0/Signs/Sign_{index}"
        seal_type = "Seal" if spec.kind == "ses" else "Sign"
        self.signatures.append((str(index + 1), seal_type, f"/{folder}/Signature.xml"))
        self._write_ofd_xml(signed=True)
        self._write_signature_list()
        seal = None
        if spec.kind == "ses":
            maker_key, maker_cert = self._maker()
            seal = seal_v4(maker_key, maker_cert, [self.chain.leaf])
            self.files[f"{folder}/Seal.esl"] = seal
        protected = sorted(name for name in self.files if not name.startswith(folder)
                           and (spec.protect_signature_list or name != "Doc_0/Signs/Signatures.xml"))
        if seal is not None:
            protected.append(f"{folder}/Seal.esl")
        method = f' CheckMethod="{spec.check_method}"' if spec.check_method else ""
        references = "".join(f'<ofd:Reference FileRef="/{name}"><ofd:CheckValue>{_b64(hash_function(self.files[name]))}'
                             "</ofd:CheckValue></ofd:Reference>" for name in protected)
        stamps = "".join(f'<ofd:StampAnnot ID="{100 * (index + 1) + page}" PageRef="{self.page_ids[page]}" '
                         f'Boundary="{50 + 5 * page} 50 40 40"/>' for page in spec.pages)
        seal_element = f"<ofd:Seal><ofd:BaseLoc>/{folder}/Seal.esl</ofd:BaseLoc></ofd:Seal>" if seal is not None else ""
        signature_xml = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Signature xmlns:ofd="{NS}"><ofd:SignedInfo>'
            f'<ofd:Provider ProviderName="certmutual-tests" Company="certmutual" Version="1.0"/>'
            f"<ofd:SignatureMethod>{SM_OID.SM2_WITH_SM3}</ofd:SignatureMethod>"
            f"<ofd:SignatureDateTime>20250601120000Z</ofd:SignatureDateTime>{seal_element}"
            f"<ofd:References{method}>{references}</ofd:References>{stamps}</ofd:SignedInfo>"
            f"<ofd:SignedValue>/{folder}/SignedValue.dat</ofd:SignedValue></ofd:Signature>").encode("utf-8")
        self.files[f"{folder}/Signature.xml"] = signature_xml
        if spec.kind == "ses":
            assert seal is not None
            value = ses_signature_v4(seal, self.chain.leaf_key, self.chain.leaf, signature_xml, f"/{folder}/Signature.xml")
        elif spec.kind == "cms-attached":
            value = sm2_signed_data(self.chain, sm3(signature_xml), signed_attributes=False)
        else:
            value = sm2_signed_data(self.chain, signature_xml, detached=True)
        self.files[f"{folder}/SignedValue.dat"] = value
        return self

    def build(self, *, replace: Mapping[str, bytes] | None = None, extra: Mapping[str, bytes] | None = None,
              drop: tuple[str, ...] = ()) -> bytes:
        files = dict(self.files)
        files.update(replace or {})
        for name in drop:
            files.pop(name, None)
        return zip_package({**files, **(extra or {})})


def zip_package(files: Mapping[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def signed_ofd(chain: TestChain, *specs: SignatureSpec, pages: int = 2) -> OfdBuilder:
    builder = OfdBuilder(chain).add_pages(pages)
    for spec in specs or (SignatureSpec(),):
        builder.sign(spec)
    return builder


__all__ = ["DAY", "OfdBuilder", "SignatureSpec", "seal_v4", "ses_signature_v4", "signed_ofd", "zip_package"]
