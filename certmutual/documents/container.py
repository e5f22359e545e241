"""The OFD package (a ZIP file, GB/T 33190-2016 §7.1), opened defensively.

Everything about a package comes from outside, so each step is bounded before it runs:

- the end-of-central-directory record is read first: more members than
  :attr:`ContainerLimits.max_members`, multi-disk and ZIP64 archives are refused before Python's
  ``zipfile`` parses a single entry;
- every member name is checked: no absolute paths, drive letters, backslashes, ``.``/``..`` or empty
  segments, control characters; no two members with the same name (nor names equal but for case);
  no two members whose compressed data overlap (the "better zip bomb"); no encryption; stored or
  deflated only;
- declared sizes are capped per member, and a large member must not claim a compression ratio
  above :attr:`ContainerLimits.max_ratio`;
- members are read through a stream in chunks, counted against the per-member cap and a total
  budget for the whole package (so lying headers cannot inflate past either); a CRC error ends it.

A refusal is a :class:`PackageRefused` carrying its reason code (``malformed`` for bytes that are no
ZIP archive at all, ``container_refused`` for a package refused for safety, ``missing_part`` for an
absent member), turned into a :class:`Reason` by the caller.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from certmutual.crypto.digests import digest
from certmutual.errors import CertmutualError
from certmutual.results import Reason, ReasonCode

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 0xFFFF
_LOCAL_HEADER_SIZE = 30
_READ_CHUNK = 64 * 1024
_CACHED_MEMBER_BYTES = 1024 * 1024
"""Members up to this size are kept once read (XML parts are read more than once); larger ones are
hashed and dropped, so memory stays near one large member whatever the package holds."""
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class ContainerLimits:
    """Bounds on one package. The defaults admit real OFD documents (e-invoices of a few KiB,
    scanned books of hundreds of pages) and refuse bombs within a second and a few hundred MiB."""

    max_package_bytes: int = 256 * 1024 * 1024
    max_members: int = 4096
    max_name_bytes: int = 512
    max_member_bytes: int = 64 * 1024 * 1024
    """Inflated size of any one member."""
    max_total_bytes: int = 512 * 1024 * 1024
    """Inflated bytes read from the package in all (each read counts)."""
    max_ratio: int = 200
    """Highest inflated/compressed ratio allowed for a member over :attr:`ratio_floor` bytes."""
    ratio_floor: int = 1024 * 1024
    max_xml_bytes: int = 16 * 1024 * 1024
    max_xml_depth: int = 64
    max_xml_elements: int = 500_000


class PackageRefused(CertmutualError):
    """A package, member or part refused; :attr:`code` says why."""

    def __init__(self, code: ReasonCode, message: str, concerns: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.concerns = concerns

    def reason(self) -> Reason:
        return Reason(self.code, str(self), self.concerns)


def _refuse(message: str, concerns: str | None = None) -> PackageRefused:
    return PackageRefused(ReasonCode.CONTAINER_REFUSED, message, concerns)


class Package:
    """A validated ZIP package: member names, and bounded reads of member bytes.

    Raises :class:`PackageRefused` from the constructor (unusable package) and from :meth:`read`
    (absent member, lying sizes, budget exhausted, corrupt data). Not thread-safe: one per call.
    """

    def __init__(self, data: bytes, limits: ContainerLimits = ContainerLimits()) -> None:
        self.limits = limits
        if len(data) > limits.max_package_bytes:
            raise _refuse(f"package of {len(data)} bytes (at most {limits.max_package_bytes})")
        directory_start = _check_end_record(data, limits)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, KeyError, UnicodeDecodeError,
                NotImplementedError) as exc:
            raise PackageRefused(ReasonCode.MALFORMED, f"not a readable ZIP package: {exc}") from exc
        if len(infos) > limits.max_members:
            raise _refuse(f"{len(infos)} members (at most {limits.max_members})")
        self._members: dict[str, zipfile.ZipInfo] = {}
        folded: set[str] = set()
        for info in infos:
            name = _member_name(info, limits)
            key = name.casefold()
            if key in folded:
                raise _refuse(f"two members named {name!r} (names must be unique, ignoring case)", name)
            folded.add(key)
            if name.endswith("/"):
                continue
            _check_member(info, name, limits)
            self._members[name] = info
        _check_overlaps(infos, directory_start)
        self._spent = 0
        self._cache: dict[str, bytes] = {}
        self._digests: dict[tuple[str, str], bytes] = {}

    @property
    def names(self) -> frozenset[str]:
        """Every file member (directories excluded), as validated names without a leading slash."""
        return frozenset(self._members)

    def has(self, name: str) -> bool:
        return name in self._members

    def size(self, name: str) -> int:
        """The member's declared inflated size (checked against the caps when it is read)."""
        return self._info(name).file_size

    def read(self, name: str, max_bytes: int | None = None) -> bytes:
        """The member's bytes, read through a capped stream (cached: a member is inflated once)."""
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        info = self._info(name)
        cap = self.limits.max_member_bytes if max_bytes is None else min(max_bytes, self.limits.max_member_bytes)
        if info.file_size > cap:
            raise _refuse(f"member of {info.file_size} bytes (at most {cap} here)", name)
        chunks: list[bytes] = []
        total = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(_READ_CHUNK)
                    if not chunk:
                        break
                    total += len(chunk)
                    self._spend(len(chunk), name)
                    if total > cap or total > info.file_size:
                        raise _refuse(f"member inflates past {min(cap, info.file_size)} bytes", name)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
            raise _refuse(f"unreadable member: {exc}", name) from exc
        data = b"".join(chunks)
        if len(data) <= _CACHED_MEMBER_BYTES:
            self._cache[name] = data
        return data

    def digest(self, name: str, algorithm: str) -> bytes:
        """The member's digest under ``algorithm`` (``sm3`` or a ``hashlib`` name), computed once:
        a document's signatures reference the same pages over and over."""
        key = (name, algorithm)
        found = self._digests.get(key)
        if found is None:
            data = self.read(name)
            found = self._digests[key] = digest(algorithm, data)
        return found

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = self._members.get(name)
        if info is None:
            raise PackageRefused(ReasonCode.MISSING_PART, "not in the package", "/" + name)
        return info

    def _spend(self, count: int, name: str) -> None:
        self._spent += count
        if self._spent > self.limits.max_total_bytes:
            raise _refuse(f"more than {self.limits.max_total_bytes} bytes inflated from the package", name)


def _check_end_record(data: bytes, limits: ContainerLimits) -> int:
    """Read the end-of-central-directory record (APPNOTE §4.3.16) before ``zipfile`` does anything.
    Returns where the central directory starts."""
    window_start = max(0, len(data) - _EOCD_SIZE - _MAX_COMMENT)
    position = data.rfind(_EOCD, window_start)
    if position < 0 or position + _EOCD_SIZE > len(data):
        raise PackageRefused(ReasonCode.MALFORMED, "not a ZIP package (no end of central directory record)")
    record = data[position : position + _EOCD_SIZE]
    disk, directory_disk = int.from_bytes(record[4:6], "little"), int.from_bytes(record[6:8], "little")
    on_disk, total = int.from_bytes(record[8:10], "little"), int.from_bytes(record[10:12], "little")
    size, offset = int.from_bytes(record[12:16], "little"), int.from_bytes(record[16:20], "little")
    if disk or directory_disk or on_disk != total:
        raise _refuse("multi-disk ZIP archives are not accepted")
    if total == 0xFFFF or size == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        raise _refuse("ZIP64 archives are not accepted (no OFD document needs one)")
    if total > limits.max_members:
        raise _refuse(f"{total} members (at most {limits.max_members})")
    if size > position:
        raise _refuse("central directory larger than the package")
    return position - size


def _member_name(info: zipfile.ZipInfo, limits: ContainerLimits) -> str:
    """The member's name as the document's paths spell it, after the safety checks.

    Without the UTF-8 flag, ``zipfile`` reads names as CP437; Chinese producers write UTF-8 (Java)
    or GBK without setting it, so those bytes are decoded again, UTF-8 first."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437")
        for codec in ("utf-8", "gb18030"):
            try:
                name = raw.decode(codec)
                break
            except UnicodeDecodeError:
                continue
    if len(name.encode("utf-8")) > limits.max_name_bytes:
        raise _refuse(f"member name longer than {limits.max_name_bytes} bytes", name[:80])
    if not name or "\\" in name or name.startswith("/") or _DRIVE.match(name):
        raise _refuse("member name is absolute or uses backslashes or a drive letter", name)
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in name):
        raise _refuse("member name holds control characters", repr(name))
    segments = name[:-1].split("/") if name.endswith("/") else name.split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        raise _refuse("member name has an empty, '.' or '..' segment (path traversal)", name)
    return name


def _check_member(info: zipfile.ZipInfo, name: str, limits: ContainerLimits) -> None:
    if info.flag_bits & 0x1:
        raise _refuse("encrypted member", name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refuse(f"compression method {info.compress_type} (stored or deflated only)", name)
    if info.file_size > limits.max_member_bytes:
        raise _refuse(f"member of {info.file_size} bytes (at most {limits.max_member_bytes})", name)
    if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise _refuse(f"member compressed {info.file_size // max(info.compress_size, 1)}:1 (zip bomb?)", name)
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise _refuse("stored member whose sizes differ", name)


def _check_overlaps(infos: list[zipfile.ZipInfo], directory_start: int) -> None:
    """Each member's local header and data must end before the next one starts (overlapping
    entries let a small archive expand many times over)."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    for current, following in zip(ordered, ordered[1:] + [None]):
        end = current.header_offset + _LOCAL_HEADER_SIZE + current.compress_size  # a lower bound: name, extra not counted
        limit = following.header_offset if following is not None else directory_start
        if following is not None and following.header_offset == current.header_offset:
            raise _refuse("two members share one local header", current.filename)
        if end > limit:
            raise _refuse("member data overlaps the next member or the central directory", current.filename)
