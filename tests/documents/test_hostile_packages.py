"""Hostile OFD packages made by the tests: every one is refused with a reason code, within 2 s and a
bounded amount of memory (tracemalloc peak), never by an exception."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable

import pytest

from certmutual import ReasonCode
from certmutual.documents.container import ContainerLimits, Package, PackageRefused
from certmutual.documents.ofd import verify_ofd
from certmutual.pki.builder import KeyKind
from tests.documents.ofd_factory import NS, OfdBuilder, signed_ofd, zip_package
from tests.pki_factory import REF_TIME, make_chain

R = ReasonCode
MiB = 1024 * 1024
SECONDS = 2.0
PEAK_BYTES = 64 * MiB


@pytest.fixture(scope="module")
def chain():  # type: ignore[no-untyped-def]
    return make_chain(KeyKind.SM2)


def refused(chain, data: bytes, *expected: ReasonCode, limits: ContainerLimits = ContainerLimits()):  # type: ignore[no-untyped-def]
    """Verify under a clock and a memory meter; the result must carry one of ``expected``."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = verify_ofd(data, chain.verifier(), at=REF_TIME, limits=limits)
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < SECONDS, f"took {elapsed:.2f} s"
    assert peak < PEAK_BYTES + 2 * len(data), f"peak {peak / MiB:.1f} MiB"
    assert not result.accepted
    assert set(result.codes) & set(expected), result.reasons
    return result


def deflated_zeros(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(MiB)
    out = [compressor.compress(chunk) for _ in range(size // MiB)]
    return b"".join(out) + compressor.compress(bytes(size % MiB)) + compressor.flush()


def raw_zip(entries: list[tuple[bytes, bytes, int, int, int]], *, flags: int = 0, method: int = 8) -> bytes:
    """A ZIP written by hand: (name, compressed data, crc, inflated size, declared inflated size)."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, _, declared in entries:
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, 0, 0, crc, len(data), declared, len(name), 0)
        out += name + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, method, 0, 0, crc, len(data), declared,
                               len(name), 0, 0, 0, 0, 0, offset)
        central += name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0)
    return bytes(out)


def with_member(chain, name: str, data: bytes) -> bytes:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain)
    return builder.build(extra={name: data})


# -- zip bombs -------------------------------------------------------------------------------------


def test_high_ratio_member(chain) -> None:  # type: ignore[no-untyped-def]
    """16 MiB of zeros in a 16 KiB member: refused from the central directory, before inflating."""
    files = dict(signed_ofd(chain).files)
    files["Doc_0/Res/bomb.bin"] = bytes(16 * MiB)
    result = refused(chain, zip_package(files), R.CONTAINER_REFUSED)
    assert "zip bomb" in result.reasons[0].message


def test_oversized_member(chain) -> None:  # type: ignore[no-untyped-def]
    data = deflated_zeros(80 * MiB)
    bomb = raw_zip([(b"OFD.xml", data, zlib.crc32(bytes(80 * MiB)), 80 * MiB, 80 * MiB)])
    refused(chain, bomb, R.CONTAINER_REFUSED)


def test_member_lying_about_its_size(chain) -> None:  # type: ignore[no-untyped-def]
    """Declares 2 KiB, inflates to 32 MiB: reading stops at the declared size and the CRC fails."""
    inflated = b"<a>" + bytes(32 * MiB)
    data = zlib.compress(inflated, 9)[2:-4]
    bomb = raw_zip([(b"OFD.xml", data, zlib.crc32(inflated), len(inflated), 2048)])
    refused(chain, bomb, R.CONTAINER_REFUSED)


def test_total_budget(chain) -> None:  # type: ignore[no-untyped-def]
    """Every member within its own cap, together past the package's budget."""
    builder = signed_ofd(chain)
    limits = ContainerLimits(max_total_bytes=64 * 1024)
    builder.files["Doc_0/Res/a.bin"] = bytes(range(256)) * 200
    builder.files["Doc_0/Res/b.bin"] = bytes(range(256)) * 200
    builder.sign()  # the second signature references both
    refused(chain, builder.build(), R.CONTAINER_REFUSED, limits=limits)


def test_overlapping_members(chain) -> None:  # type: ignore[no-untyped-def]
    """Two central-directory entries over the same data (the "better zip bomb")."""
    payload = zlib.compress(b"<x/>")[2:-4]
    entry = (b"OFD.xml", payload, zlib.crc32(b"<x/>"), 4, 4)
    single = raw_zip([entry])
    local_end = single.index(b"PK\x01\x02")
    central = single[local_end:single.index(b"PK\x05\x06")]
    second = central.replace(b"OFD.xml", b"Doc.xml")
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central) * 2, local_end, 0)
    refused(chain, single[:local_end] + central + second + end, R.CONTAINER_REFUSED)


def test_many_members(chain) -> None:  # type: ignore[no-untyped-def]
    files = {f"Doc_0/Res/r{i}.xml": b"<r/>" for i in range(10_000)}
    files["OFD.xml"] = b"<ofd:OFD/>"
    refused(chain, zip_package(files, compression=zipfile.ZIP_STORED), R.CONTAINER_REFUSED)


def test_encrypted_and_unknown_compression(chain) -> None:  # type: ignore[no-untyped-def]
    entry = (b"OFD.xml", b"abcd", zlib.crc32(b"abcd"), 4, 4)
    refused(chain, raw_zip([entry], flags=1, method=0), R.CONTAINER_REFUSED)
    refused(chain, raw_zip([entry], method=12), R.CONTAINER_REFUSED)


# -- names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../evil.xml", "Doc_0/../../evil.xml", "/etc/passwd", "Doc_0\\Pages\\x.xml", "C:/x.xml",
                                  "c:evil", "Doc_0//x.xml", "Doc_0/./x.xml", "Doc_0/x\n.xml"])
def test_unsafe_member_names(chain, name: str) -> None:  # type: ignore[no-untyped-def]
    refused(chain, with_member(chain, name, b"x"), R.CONTAINER_REFUSED)


@pytest.mark.parametrize("second", ["OFD.xml", "ofd.XML"])
def test_duplicate_member_names(chain, second: str) -> None:  # type: ignore[no-untyped-def]
    data = signed_ofd(chain).build()
    out = io.BytesIO(data)
    with pytest.warns(UserWarning) if second == "OFD.xml" else _no_warning():
        with zipfile.ZipFile(out, "a") as archive:
            archive.writestr(second, b"<ofd:OFD/>")
    refused(chain, out.getvalue(), R.CONTAINER_REFUSED)


class _no_warning:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


# -- XML ----------------------------------------------------------------------------------------------


def _ofd_xml(chain, text: bytes) -> bytes:  # type: ignore[no-untyped-def]
    return signed_ofd(chain).build(replace={"OFD.xml": text})


XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE ofd [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       b'<ofd:OFD xmlns:ofd="' + NS.encode() + b'"><ofd:DocBody><ofd:DocRoot>&xxe;</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b']>\n<ofd:OFD xmlns:ofd="' + NS.encode() + b'">&lol9;</ofd:OFD>')
EXTERNAL_DTD = b'<?xml version="1.0"?>\n<!DOCTYPE ofd SYSTEM "http://example.invalid/ofd.dtd">\n<ofd:OFD/>'


@pytest.mark.parametrize("text", [XXE, LAUGHS, EXTERNAL_DTD], ids=["xxe", "billion-laughs", "external-dtd"])
def test_xml_declarations_are_refused(chain, text: bytes) -> None:  # type: ignore[no-untyped-def]
    refused(chain, _ofd_xml(chain, text), R.XML_REFUSED)


def test_deeply_nested_xml(chain) -> None:  # type: ignore[no-untyped-def]
    deep = b"<a>" * 100_000 + b"</a>" * 100_000
    refused(chain, _ofd_xml(chain, deep), R.XML_REFUSED)


def test_too_many_elements_and_too_large(chain) -> None:  # type: ignore[no-untyped-def]
    wide = b"<ofd:OFD xmlns:ofd='" + NS.encode() + b"'>" + b"<ofd:DocBody/>" * 20_000 + b"</ofd:OFD>"
    refused(chain, _ofd_xml(chain, wide), R.XML_REFUSED, limits=ContainerLimits(max_xml_elements=10_000))
    refused(chain, _ofd_xml(chain, wide), R.XML_REFUSED, limits=ContainerLimits(max_xml_bytes=64 * 1024))


def test_not_well_formed_xml(chain) -> None:  # type: ignore[no-untyped-def]
    refused(chain, _ofd_xml(chain, b"<ofd:OFD><unclosed>"), R.XML_REFUSED)


def test_xml_declared_in_gbk_is_read(chain) -> None:  # type: ignore[no-untyped-def]
    builder = OfdBuilder(chain).add_pages(1)
    text = builder.files["OFD.xml"].replace(b'encoding="UTF-8"', b'encoding="GBK"')
    builder.files["OFD.xml"] = text.decode("utf-8").encode("gbk")
    builder.sign()
    assert verify_ofd(builder.build(), chain.verifier(), at=REF_TIME).accepted


# -- ASN.1 inside the package ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [b"\x30\x84\x7f\xff\xff\xff", b"\x30\x80" * 50_000,
                                   b"\x30\x83\x0f\x42\x40" + b"\x02\x01\x00" * 333_333 + b"\x02\x01"],
                         ids=["huge-length", "deep-indefinite", "million-elements"])
def test_hostile_signed_value(chain, value: bytes) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain)
    refused(chain, builder.build(replace={"Doc_0/Signs/Sign_0/SignedValue.dat": value}), R.MALFORMED)


def test_not_a_zip(chain) -> None:  # type: ignore[no-untyped-def]
    refused(chain, b"%PDF-1.7 not an OFD", R.MALFORMED)
    refused(chain, b"PK\x05\x06" + bytes(18), R.MALFORMED)


def test_package_reads_are_bounded_directly() -> None:
    data = zip_package({"a.xml": b"x" * 1000})
    with pytest.raises(PackageRefused) as declared:
        Package(data, ContainerLimits(max_member_bytes=100))
    assert declared.value.code is R.CONTAINER_REFUSED
    package = Package(data)
    with pytest.raises(PackageRefused) as caught:
        package.read("a.xml", max_bytes=100)
    assert caught.value.code is R.CONTAINER_REFUSED
    assert package.read("a.xml") == b"x" * 1000
    with pytest.raises(PackageRefused) as missing:
        package.read("b.xml")
    assert missing.value.code is R.MISSING_PART


FUZZ_SEEDS: list[Callable[[bytes], bytes]] = [
    lambda d: d[: len(d) // 2],
    lambda d: d[:-30],
    lambda d: bytes(b ^ 0xFF if i % 97 == 0 else b for i, b in enumerate(d)),
    lambda d: d.replace(b"PK\x01\x02", b"PK\x01\x03", 1),
]


@pytest.mark.parametrize("mutate", range(len(FUZZ_SEEDS)))
def test_damaged_packages_never_raise(chain, mutate: int) -> None:  # type: ignore[no-untyped-def]
    data = FUZZ_SEEDS[mutate](signed_ofd(chain).build())
    result = verify_ofd(data, chain.verifier(), at=REF_TIME)
    assert not result.accepted and result.reasons
