"""Bundles of files: ``.zip``, ``.tar``, ``.tar.gz`` and ``.tgz``. Each file inside is a member
(``members``), read by the reader of its type; the bundle's own text lists its members' paths,
so that a file's name finds the bundle.

A bundle is hostile input, and is read as such. Before a member is unpacked, what its header
declares is checked: a path that would leave the bundle (``..``, an absolute path, a drive
letter), a link, a device, an encrypted member, a member larger than a file may be, one
compressed more than ``Limits.max_ratio`` to one (past a megabyte), and the members and bytes
past the bundle's limits are refused, each named with why. Unpacking is bounded again by the
bytes read, whatever the header said. A zip made on a Chinese Windows names its files in GBK or
Big5, without saying so: those names are decoded as the archive decodes text, all of a bundle's
names together (one machine wrote them), never left as the mojibake of code page 437.
"""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from .encoding import UndecodableError, decode
from .errors import SkipFile
from .extracted import Extracted
from .members import Contents, Limits, Member, refused, safe_step
from .unpacking import RATIO_FROM_BYTES, unpacked

# Bit 0 of a zip entry's flags: encrypted; bit 11: its name is UTF-8.
_ENCRYPTED = 0x1
_UTF8_NAME = 0x800
# Info-ZIP's extra field holding the UTF-8 form of a name written in a code page.
_UNICODE_PATH_FIELD = 0x7075


@dataclass(frozen=True)
class _Entry:
    """What a bundle's header says of a member: its path, its declared size and compressed
    size, and why it may not be read (None: it may)."""

    path: str
    size: int
    packed: int
    problem: str | None = None


class _Budget:
    """The members and bytes of one bundle, counted against its limits as it is read."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.members = 0
        self.bytes = 0

    def refusal(self, entry: _Entry) -> str | None:
        """Why the member ``entry`` may not be unpacked, or None; counts it when it may."""
        limits = self.limits
        if entry.problem:
            return entry.problem
        if self.members >= limits.max_members:
            return f"past the {limits.max_members:,} members a bundle may hold: not read"
        if entry.size > limits.max_member_bytes:
            return f"too large ({entry.size / 1e6:.1f} MB; the limit is {limits.max_member_bytes / 1e6:.0f} MB)"
        if entry.size >= RATIO_FROM_BYTES and entry.size > limits.max_ratio * max(entry.packed, 1):
            ratio = entry.size / max(entry.packed, 1)
            return f"compressed {ratio:,.0f} to 1 (the limit is {limits.max_ratio} to 1): a zip bomb? not read"
        if self.bytes + entry.size > limits.max_bytes:
            return f"past the {limits.max_bytes / 1e6:,.0f} MB a bundle may unpack to: not read"
        self.members += 1
        self.bytes += entry.size
        return None


def read_zip(data: bytes, limits: Limits) -> Contents:
    """A zip file's members and, as its own text, the list of their paths."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise SkipFile(f"unreadable zip file: {error}") from None
    names = _zip_names(infos)
    files = [(info, names[index]) for index, info in enumerate(infos) if not info.filename.endswith("/")]
    listing = _listing([name for _info, name in files])
    return Contents(Extracted(listing), _zip_members(archive, files, limits))


def _zip_members(archive: zipfile.ZipFile, files: list, limits: Limits) -> Iterator[Member]:
    """Each file of the zip as a member, unpacked only when its header allows."""
    budget = _Budget(limits)
    for info, name in files:
        entry = _Entry(name, info.file_size, info.compress_size, _zip_problem(info, name))
        step = safe_step(name) or name
        problem = budget.refusal(entry)
        if problem:
            yield refused(step, _file_name(name), problem)
            continue
        try:
            with archive.open(info) as handle:
                data = handle.read(limits.max_member_bytes + 1)
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            ValueError,
            EOFError,
            NotImplementedError,
            RuntimeError,
        ) as error:
            yield refused(step, _file_name(name), f"unreadable in the zip file: {error}")
            continue
        if len(data) > entry.size:  # the header understated it
            yield refused(step, _file_name(name), "larger than its header says: not read")
            continue
        yield Member(step=step, name=_file_name(name), data=data)


def _zip_problem(info: zipfile.ZipInfo, name: str) -> str | None:
    """Why a zip member may not be read, from its header alone."""
    if info.flag_bits & _ENCRYPTED:
        return "encrypted (password-protected): not read"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "a symbolic link: not followed"
    if mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode):
        return "not a regular file (a device or a pipe): not read"
    return _path_problem(name)


def _zip_names(infos: list[zipfile.ZipInfo]) -> list[str]:
    """Each entry's name as its writer meant it: UTF-8 when flagged or given in Info-ZIP's
    Unicode path field, else the legacy code page of the bundle's other names, detected."""
    names: list[str | None] = []
    legacy: list[bytes] = []
    for info in infos:
        if info.flag_bits & _UTF8_NAME:
            names.append(info.filename)
            continue
        unicode_path = _unicode_path(info.extra)
        if unicode_path is not None:
            names.append(unicode_path)
            continue
        raw = info.filename.encode("cp437")  # zipfile decoded the raw bytes so: undo it
        if raw.isascii():
            names.append(info.filename)
            continue
        names.append(None)
        legacy.append(raw)
    decoded = iter(_legacy_names(legacy))
    return [name if name is not None else next(decoded) for name in names]


def _legacy_names(raw_names: list[bytes]) -> list[str]:
    """Names in one unknown code page, decoded together (UTF-8, Big5-HKSCS, GB18030...); those
    that fit none are kept as code page 437 gives them."""
    if not raw_names:
        return []
    try:
        _text, encoding = decode(b"\n".join(raw_names))
    except UndecodableError:
        encoding = "cp437"
    names = []
    for raw in raw_names:
        try:
            names.append(raw.decode(encoding))
        except UnicodeDecodeError:
            names.append(raw.decode("cp437"))
    return names


def _unicode_path(extra: bytes) -> str | None:
    """The UTF-8 name in an Info-ZIP Unicode path extra field, if the entry has one."""
    position = 0
    while position + 4 <= len(extra):
        kind = int.from_bytes(extra[position : position + 2], "little")
        length = int.from_bytes(extra[position + 2 : position + 4], "little")
        body = extra[position + 4 : position + 4 + length]
        if kind == _UNICODE_PATH_FIELD and len(body) > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        position += 4 + length
    return None


def read_tar(data: bytes, limits: Limits) -> Contents:
    """A tar file's members (plain, gzip, bzip2 or xz) and, as its own text, their paths."""
    plain = unpacked(data, limits)
    try:
        # Not closed: its members are read lazily, from bytes in memory that hold no descriptor.
        archive = tarfile.open(fileobj=io.BytesIO(plain), mode="r:")  # noqa: SIM115
        first = archive.next()
    except _TAR_ERRORS as error:
        raise SkipFile(f"unreadable tar file: {error}") from None
    if first is None:
        raise SkipFile("unreadable tar file: it holds no files")
    entries = _tar_entries(archive, first, limits, len(data))
    listing = _listing([info.name for info, _problem in entries if not info.isdir()])
    return Contents(Extracted(listing), _tar_members(archive, entries, limits))


def _tar_entries(archive: tarfile.TarFile, first: tarfile.TarInfo, limits: Limits, packed: int) -> list:
    """The tar's headers, each with why it may not be read (None: it may); the headers past
    what the bundle may unpack to are not walked to (walking to them means unpacking)."""
    entries: list[tuple[tarfile.TarInfo, str | None]] = []
    declared = 0
    info: tarfile.TarInfo | None = first
    while info is not None:
        declared += info.size
        if len(entries) > limits.max_members or declared > limits.max_bytes:
            held = f"{limits.max_bytes / 1e6:,.0f} MB or {limits.max_members:,} members"
            entries.append((info, f"past the {held} a bundle may hold: the rest is not read"))
            break
        if declared >= RATIO_FROM_BYTES and declared > limits.max_ratio * packed:
            ratio = f"{declared / packed:,.0f} to 1 (the limit is {limits.max_ratio} to 1)"
            entries.append((info, f"compressed {ratio}: a bomb? the rest is not read"))
            break
        entries.append((info, _tar_problem(info)))
        if info.size < 0:
            entries.append((info, "a header that gives a negative size: the rest is not read"))
            break
        try:
            info = archive.next()
        except _TAR_ERRORS as error:
            entries.append((tarfile.TarInfo("(the rest)"), f"the tar file breaks off: {error}"))
            break
    return entries


def _tar_problem(info: tarfile.TarInfo) -> str | None:
    """Why a tar member may not be read, from its header alone."""
    if info.issym() or info.islnk():
        return "a link: not followed"
    if not info.isfile() and not info.isdir():
        return "not a regular file (a device or a pipe): not read"
    return _path_problem(info.name)


def _tar_members(archive: tarfile.TarFile, entries: list, limits: Limits) -> Iterator[Member]:
    """Each file of the tar as a member, unpacked only when its header allows."""
    budget = _Budget(limits)
    for info, problem in entries:
        if info.isdir() and problem is None:
            continue
        name = info.name
        step = safe_step(name) or name
        refusal = budget.refusal(_Entry(name, info.size, info.size, problem))
        if refusal:
            yield refused(step, _file_name(name), refusal)
            continue
        try:
            handle = archive.extractfile(info)
            data = handle.read(limits.max_member_bytes + 1) if handle is not None else b""
        except _TAR_ERRORS as error:
            yield refused(step, _file_name(name), f"unreadable in the tar file: {error}")
            continue
        yield Member(step=step, name=_file_name(name), data=data)


_TAR_ERRORS = (tarfile.TarError, OSError, EOFError, ValueError, OverflowError)
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError)


def _path_problem(name: str) -> str | None:
    """Why a member's path may not be one inside the bundle: absolute, a drive letter, a part
    that climbs out (``..``), or a control character."""
    path = name.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "an absolute path, outside the bundle: refused"
    if ".." in path.split("/"):
        return "a path that leaves the bundle (..): refused"
    if safe_step(path) is None:
        return "a name no document can have (empty, or a control character): refused"
    return None


def _file_name(path: str) -> str:
    """The last part of a member's path: its own name."""
    return PurePosixPath(path.replace("\\", "/")).name or path


def _listing(paths: list[str]) -> str:
    """A bundle's own text: its members' paths, a line each."""
    return "\n".join(paths)
