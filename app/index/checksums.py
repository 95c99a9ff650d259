"""A generation's list of its files, each with its size, checksum and format: ``CHECKSUMS``.

::

    CHECKSUMS --> Header, Json, Footer      (``codec``, format ``FORMAT``)
    Json      --> {"files": [{"name", "size", "crc32", "format", "version"}...]}

The archive's own files (a part's dictionary and streams, the table) carry a header and a
footer (``codec``); the checksum listed is their footer's. Whoosh's files (its table of
contents and segments: each document's id, stored record, text and token offsets) and the
manifest (SQLite) are other programs' formats, without a header of the archive: they are listed
with the CRC32 of all their bytes and no format. The marks a generation gets while it is read
(READERS, RETIRED) and Whoosh's lock are not listed: they are not its content.

A generation is sealed when it is published (``seal``): each file new in it is read once, an
archive file checked against its footer, another file's checksum computed; a file shared with
the generation it replaces (a hard link) keeps the checksum listed there, after the cheap check.
A reader opening a generation makes the cheap check (``check_opening``): the list whole, every
file's length, the archive files' headers and footers. ``check`` reads every byte of every file.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .codec import (
    FOOTER_BYTES,
    CheckedWriter,
    CorruptFile,
    Format,
    OtherFormat,
    check_ends,
    check_size,
    crc32_of,
    expect,
    is_checked,
    read_footer,
    read_header,
    verify,
)

CHECKSUMS = "CHECKSUMS"
FORMAT = Format("checksums", 1)
_TEMPORARY = f".{CHECKSUMS}.new"


@dataclass(frozen=True)
class Listed:
    """A file as its generation lists it: name, size, CRC32, and format (None: not the
    archive's own)."""

    name: str
    size: int
    crc32: int
    format: Format | None


@dataclass(frozen=True)
class FileCheck:
    """What ``check`` found of one file: as listed, and what is wrong with it (None: nothing)."""

    listed: Listed
    problem: str | None


def read_list(generation: Path) -> dict[str, Listed]:
    """The files ``generation`` lists, by name, the list itself checked whole (it is small).
    ``OtherFormat`` when there is no list (a generation of an older version)."""
    path = generation / CHECKSUMS
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise OtherFormat(path, f"there is no {CHECKSUMS}: written by an older version") from None
    found, start = read_header(path, data)
    expect(path, found, FORMAT)
    if len(data) < start + FOOTER_BYTES:
        raise CorruptFile(path, "it is too short to hold a footer: truncated")
    if read_footer(path, data[-FOOTER_BYTES:]) != zlib.crc32(data[:-8]):
        raise CorruptFile(path, "its bytes do not have the checksum in its footer: damaged")
    try:
        files = json.loads(data[start:-FOOTER_BYTES])["files"]
        return {
            entry["name"]: Listed(
                entry["name"],
                int(entry["size"]),
                int(entry["crc32"]),
                None if entry["format"] is None else Format(entry["format"], int(entry["version"])),
            )
            for entry in files
        }
    except (ValueError, KeyError, TypeError):
        raise CorruptFile(path, "its list is damaged") from None


def check_opening(generation: Path) -> dict[str, Listed]:
    """The cheap check of ``generation`` when a reader opens it (``CorruptFile`` naming the
    first file found wrong); the files it lists."""
    listed = read_list(generation)
    folder = os.fspath(generation)
    for entry in listed.values():
        path = os.path.join(folder, entry.name)  # a string: a reader opens a generation often
        try:
            if entry.format is None:
                check_size(path, os.stat(path).st_size, entry.size)
            else:
                check_ends(path, entry.format, entry.size, entry.crc32)
        except FileNotFoundError:
            raise CorruptFile(Path(path), "it is missing") from None
    return listed


@dataclass(frozen=True)
class CheckReport:
    """What ``check`` found of a generation: every file it lists, the list first."""

    generation: Path
    files: list[FileCheck]

    @property
    def damaged(self) -> list[FileCheck]:
        """The files that are not as they were written."""
        return [found for found in self.files if found.problem is not None]

    def as_text(self) -> str:
        """One line per file (what it is, its size, ok or what is wrong), then the count."""
        lines = []
        for found in self.files:
            entry = found.listed
            kind = str(entry.format) if entry.format is not None else "no header, CRC32 listed"
            state = "ok" if found.problem is None else f"DAMAGED: {found.problem}"
            lines.append(f"{entry.name:<40} {entry.size:>14,} bytes  {kind:<24} {state}")
        total = sum(found.listed.size for found in self.files)
        summary = f"{len(self.files)} files of {self.generation} checked ({total:,} bytes)"
        names = ", ".join(found.listed.name for found in self.damaged)
        lines.append(f"{summary}: {len(self.damaged)} damaged ({names})" if names else f"{summary}: all as written")
        return "\n".join(lines)


def check(generation: Path) -> CheckReport:
    """Every file ``generation`` lists, read whole and checked against its checksum, the list
    first (when it is damaged, or missing, nothing else can be checked)."""
    path = generation / CHECKSUMS
    itself = Listed(CHECKSUMS, path.stat().st_size if path.exists() else 0, 0, FORMAT)
    try:
        listed = read_list(generation)
    except (CorruptFile, OtherFormat) as error:
        return CheckReport(generation, [FileCheck(itself, error.reason)])
    found = [FileCheck(itself, None)]
    for entry in listed.values():
        try:
            _check_whole(generation / entry.name, entry)
            found.append(FileCheck(entry, None))
        except FileNotFoundError:
            found.append(FileCheck(entry, "it is missing"))
        except CorruptFile as error:
            found.append(FileCheck(entry, error.reason))
    return CheckReport(generation, found)


def _check_whole(path: Path, entry: Listed) -> None:
    check_size(path, path.stat().st_size, entry.size)
    if entry.format is None:
        if crc32_of(path) != entry.crc32:
            raise CorruptFile(path, "its bytes do not have the checksum listed: damaged")
        return
    kind, checksum = verify(path)
    if kind != entry.format:
        raise CorruptFile(path, f"its header says {kind} where {entry.format} was written: damaged")
    if checksum != entry.crc32:
        raise CorruptFile(path, "its footer's checksum is not the one the generation lists")


def seal(generation: Path, replaced: Path | None, marks: Iterable[str]) -> list[Listed]:
    """List every file of ``generation`` but ``marks`` in its CHECKSUMS, each new file read
    and checked once (``CorruptFile`` if one is not as written); files shared with the
    generation it replaces (``replaced``) keep their checksums."""
    skipped = {CHECKSUMS, _TEMPORARY, *marks}
    inherited = _shared_with(generation, replaced)
    listed = []
    for path in sorted(generation.iterdir()):
        # Whoosh's lock file comes and goes with its writers.
        if path.name in skipped or path.name.endswith("LOCK") or not path.is_file():
            continue
        entry = inherited.get(path.name)
        if entry is not None:
            if entry.format is not None:
                check_ends(path, entry.format, entry.size, entry.crc32)
        elif is_checked(path):
            kind, checksum = verify(path)
            entry = Listed(path.name, path.stat().st_size, checksum, kind)
        else:
            entry = Listed(path.name, path.stat().st_size, crc32_of(path), None)
        listed.append(entry)
    _write(generation, listed)
    return listed


def _shared_with(generation: Path, replaced: Path | None) -> dict[str, Listed]:
    """The files ``generation`` shares with ``replaced`` (the same file, hard-linked), as
    ``replaced`` lists them."""
    if replaced is None:
        return {}
    try:
        listed = read_list(replaced)
    except (OSError, ValueError):
        return {}  # a generation of an older version, or damaged: its files are read again
    shared = {}
    for name, entry in listed.items():
        try:
            ours, theirs = os.stat(generation / name), os.stat(replaced / name)
        except FileNotFoundError:
            continue
        if (ours.st_dev, ours.st_ino) == (theirs.st_dev, theirs.st_ino) and ours.st_size == entry.size:
            shared[name] = entry
    return shared


def _write(generation: Path, listed: list[Listed]) -> None:
    """Write the list as a new file (never through a hard link to the replaced generation's)."""
    files = [
        {
            "name": entry.name,
            "size": entry.size,
            "crc32": entry.crc32,
            "format": None if entry.format is None else entry.format.name,
            "version": None if entry.format is None else entry.format.version,
        }
        for entry in listed
    ]
    temporary = generation / _TEMPORARY
    writer = CheckedWriter(temporary, FORMAT)
    try:
        writer.write(json.dumps({"files": files}, ensure_ascii=False).encode("utf-8"))
        writer.close()
    except BaseException:
        writer.abandon()
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, generation / CHECKSUMS)
