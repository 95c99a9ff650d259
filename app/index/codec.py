"""The header and footer of every file the archive writes, as Lucene's ``CodecUtil`` has them.

::

    File    --> Header, Data, Footer
    Header  --> Magic, NameLength, Name, Version        Magic: the 4 bytes ``MAGIC``; Name: ASCII
                                                       (NameLength bytes, uint8); Version: uint32
    Footer  --> FooterMagic, Algorithm, Checksum       FooterMagic: ``MAGIC`` with every bit
                                                       flipped; Algorithm: uint32, 0 (CRC32);
                                                       Checksum: uint64, the CRC32 of every byte
                                                       before it

Numbers are little-endian. A reader checks what it can cheaply when it opens a file (the
header's name and version, the length, the footer's magic and its checksum against the one the
generation lists, ``checksums``) and the whole checksum only when asked (``verify``): a file
truncated, or damaged in its header or footer, is refused when a generation is opened, a byte
flipped anywhere when it is checked.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"\xa3AS\x17"
FOOTER_MAGIC = bytes(byte ^ 0xFF for byte in MAGIC)
CRC32 = 0
FOOTER_BYTES = 16
_VERSION = struct.Struct("<I")
_FOOTER = struct.Struct("<4sIQ")
# The longest header there is (a name of 255 bytes): read in one go when a file is opened.
LONGEST_HEADER = len(MAGIC) + 1 + 255 + _VERSION.size
# Bytes read at a time when a whole file is checksummed.
_CHUNK = 1 << 20


class CorruptFile(OSError):
    """A file of the index is not as it was written: truncated, damaged, or of another format."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class OtherFormat(ValueError):
    """A file written in another format, or another version of its format (an older build)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


@dataclass(frozen=True)
class Format:
    """What a file's header says it is: a format's name and version."""

    name: str
    version: int

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    def header(self) -> bytes:
        """The header of a file of this format."""
        name = self.name.encode("ascii")
        return MAGIC + bytes([len(name)]) + name + _VERSION.pack(self.version)


def read_header(path: Path, data: bytes | memoryview) -> tuple[Format, int]:
    """The format the header at the start of ``data`` (the start of ``path``) names, and the
    header's length; ``CorruptFile`` when there is none."""
    if bytes(data[: len(MAGIC)]) != MAGIC:
        raise CorruptFile(path, "no header: not a file of the archive, or damaged at its start")
    length = data[len(MAGIC)] if len(data) > len(MAGIC) else 0
    end = len(MAGIC) + 1 + length + _VERSION.size
    if len(data) < end:
        raise CorruptFile(path, "its header is cut short")
    try:
        name = bytes(data[len(MAGIC) + 1 : end - _VERSION.size]).decode("ascii")
    except UnicodeDecodeError:
        raise CorruptFile(path, "its header is damaged") from None
    return Format(name, _VERSION.unpack(data[end - _VERSION.size : end])[0]), end


def expect(path: Path, found: Format, wanted: Format) -> None:
    """Refuse a file whose header says it is not of the format ``wanted``."""
    if found != wanted:
        raise OtherFormat(path, f"its header says {found}, where {wanted} was expected")


def read_footer(path: Path, tail: bytes | memoryview) -> int:
    """The checksum in the footer ``tail`` (a file's last ``FOOTER_BYTES``)."""
    if len(tail) < FOOTER_BYTES:
        raise CorruptFile(path, "it is too short to hold a footer: truncated")
    magic, algorithm, checksum = _FOOTER.unpack(bytes(tail[-FOOTER_BYTES:]))
    if magic != FOOTER_MAGIC:
        raise CorruptFile(path, "no footer: truncated, or damaged at its end")
    if algorithm != CRC32 or checksum >> 32:
        raise CorruptFile(path, "its footer is damaged")
    return checksum


class CheckedWriter:
    """A file of the format ``kind`` being written: its header first, its footer on ``close``,
    the checksum kept as the bytes go by. ``tell`` counts the header."""

    def __init__(self, path: Path, kind: Format) -> None:
        self.path = path
        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._crc = 0
        self._written = 0
        self.write(kind.header())

    def write(self, data: bytes | memoryview) -> None:
        """Append ``data``."""
        self._file.write(data)
        self._crc = zlib.crc32(data, self._crc)
        self._written += len(data)

    def tell(self) -> int:
        """Bytes written so far, the header's included."""
        return self._written

    def close(self) -> None:
        """Write the footer and close the file."""
        self.write(_FOOTER.pack(FOOTER_MAGIC, CRC32, 0)[:-8])
        self._file.write(struct.pack("<Q", self._crc))
        self._file.close()

    def abandon(self) -> None:
        """Close the file without a footer (the caller removes it)."""
        self._file.close()


def check_size(path: Path | str, size: int, written: int) -> None:
    """Refuse a file of ``size`` bytes where ``written`` were written."""
    if size != written:
        raise CorruptFile(path, f"it is {size} bytes where {written} were written: truncated or changed")


def check_ends(path: Path | str, kind: Format, size: int, checksum: int | None) -> None:
    """The cheap check of a file of the format ``kind`` when a generation is opened: it is
    ``size`` bytes, its header names ``kind``, and its footer holds ``checksum`` (if given)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        check_size(path, os.fstat(fd).st_size, size)
        head = os.pread(fd, min(LONGEST_HEADER, size), 0)
        tail = os.pread(fd, FOOTER_BYTES, max(size - FOOTER_BYTES, 0))
    finally:
        os.close(fd)
    found = read_header(path, head)[0]
    if found != kind:
        raise CorruptFile(path, f"its header says {found} where {kind} was written: damaged")
    if read_footer(path, tail) != checksum and checksum is not None:
        raise CorruptFile(path, "its footer's checksum is not the one the generation lists")


def crc32_of(path: Path, end: int | None = None) -> int:
    """The CRC32 of the file's first ``end`` bytes (default: all of it)."""
    crc = 0
    with open(path, "rb") as handle:
        left = os.fstat(handle.fileno()).st_size if end is None else end
        while left > 0:
            chunk = handle.read(min(_CHUNK, left))
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
            left -= len(chunk)
    return crc


def verify(path: Path) -> tuple[Format, int]:
    """Check a file of the archive's whole: its header, its footer, and that its bytes have the
    checksum its footer holds. Returns its format and checksum."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(LONGEST_HEADER)
        handle.seek(max(size - FOOTER_BYTES, 0))
        tail = handle.read(FOOTER_BYTES)
    kind, header_length = read_header(path, head)
    if size < header_length + FOOTER_BYTES:
        raise CorruptFile(path, "it is too short to hold a footer: truncated")
    listed = read_footer(path, tail)
    if crc32_of(path, size - 8) != listed:
        raise CorruptFile(path, "its bytes do not have the checksum in its footer: damaged")
    return kind, listed


def is_checked(path: Path) -> bool:
    """True when ``path`` begins with the archive's header (the file is one of its own)."""
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC
