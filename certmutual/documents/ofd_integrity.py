"""GM/T 0099-2020 §7.4 integrity protection of a whole OFD package (文件完整性保护, "防夹带").

``/OFDEntries.xml`` (``DocEntries``) lists every file of the package (``FileList/File/@FileLoc``) and
names a SignedValue (``SignedValueLoc``): a GB/T 35275 SignedData over the bytes of OFDEntries.xml
(its encapsulated content is their SM3, as ofdrw's ``GMProtectSigner`` writes it, or it is detached).
§7.4.6's check, done here:

a) read OFDEntries.xml; b)+c) verify the SignedValue over it (:func:`certmutual.documents.ofd_checks.check_cms`);
d) every listed file is present (``missing_part``) and no file is present that is not listed, other
than OFDEntries.xml and the SignedValue themselves (``unlisted_part``: a file smuggled in after
protection).

The result is an :class:`OfdSignatureResult` of type ``Integrity`` for ``/OFDEntries.xml``.
"""

from __future__ import annotations

import datetime

from certmutual.documents.container import Package, PackageRefused
from certmutual.documents.ofd_checks import Findings, check_cms
from certmutual.documents.ofd_parts import locate, read_xml
from certmutual.seals.protocol import CertificateVerifier
from certmutual.documents.results import OfdSignatureResult, SignedValueFormat
from certmutual.documents.xmlsafe import attribute, child, children, local, text
from certmutual.results import Reason, ReasonCode

ENTRIES = "OFDEntries.xml"
INTEGRITY = "Integrity"


def verify_integrity(package: Package, verifier: CertificateVerifier, at: datetime.datetime | None) -> OfdSignatureResult | None:
    """The integrity-protection record, or None when the package has no OFDEntries.xml."""
    if not package.has(ENTRIES):
        return None
    path = "/" + ENTRIES
    try:
        raw, root = read_xml(package, ENTRIES)
        if local(root.tag) != "DocEntries":
            raise PackageRefused(ReasonCode.MALFORMED, f"root element {local(root.tag)!r}, not DocEntries", path)
        signed_value_loc = text(child(root, "SignedValueLoc"))
        if signed_value_loc is None:
            raise PackageRefused(ReasonCode.MALFORMED, "no SignedValueLoc", path)
        signed_value = locate(package, "", signed_value_loc, path)
        listed = set()
        file_list = child(root, "FileList")
        for element in children(file_list, "File") if file_list is not None else ():
            location = attribute(element, "FileLoc")
            if location:
                listed.add(locate(package, "", location, path))
        value = package.read(signed_value)
    except PackageRefused as exc:
        return OfdSignatureResult(path, (exc.reason(),), type=INTEGRITY)
    found = Findings()
    for name in sorted(listed - package.names):
        found.fail(Reason(ReasonCode.MISSING_PART, "listed in OFDEntries.xml but not in the package", "/" + name))
    for name in sorted(package.names - listed - {ENTRIES, signed_value}):
        found.fail(Reason(ReasonCode.UNLISTED_PART, "in the package but not listed in OFDEntries.xml (added after "
                          "the package was protected)", "/" + name))
    check_cms(value, raw, verifier, at, found)
    return OfdSignatureResult(
        path, tuple(found.reasons), tuple(found.warnings), type=INTEGRITY, format=SignedValueFormat.CMS,
        references=tuple("/" + name for name in sorted(listed)), intact=found.intact, signer=found.signer,
        identity=found.identity, detail=found.detail,
    )
