"""Finding the files of the archive: what a build reads, and what it passes over and why."""

from __future__ import annotations

import os
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from .sidecar import SIDECAR_SUFFIXES, is_sidecar


class Candidate(NamedTuple):
    """A file found under the documents directory, or a reason it was passed over.

    ``size`` and ``mtime_ns`` tell an incremental build the file has not changed: they are the
    sums of the file's and its sidecars' (``report.pdf.meta.yaml``, ``.meta.yml``,
    ``.meta.json``), so that editing, adding or removing only a sidecar changes them too.
    """

    path: str
    relative: str
    skip_reason: str | None = None
    size: int = 0
    mtime_ns: int = 0


def document_id(relative: str) -> str:
    """The id of the file at ``relative`` (a POSIX path): the path without its extension."""
    stem, dot, _ = relative.rpartition(".")
    return stem if dot and "/" not in relative[len(stem) :] else relative


_name = attrgetter("name")


def discover(root: Path) -> Iterator[Candidate]:
    """Yield every file under ``root`` in a stable order, with hidden files and sidecars left out.

    Symbolic links are followed only when they lead to a file inside ``root``; links to folders
    are not walked (what they lead to inside ``root`` is walked anyway).
    """
    root = root.resolve()
    prefix = len(str(root)) + 1
    pending = [str(root)]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=_name)
        except OSError:
            continue
        by_name = {entry.name: entry for entry in entries}
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if is_sidecar(entry.name) and not entry.is_dir(follow_symlinks=False):
                continue  # read with the file it describes
            relative = entry.path[prefix:]
            if os.sep != "/":
                relative = relative.replace(os.sep, "/")
            if entry.is_symlink():
                target = Path(entry.path).resolve()
                if not target.is_relative_to(root):
                    reason = "symbolic link to outside the documents directory: not followed"
                    yield Candidate(entry.path, relative, reason)
                elif target.is_file():
                    yield _found(entry.path, relative, target.stat(), _sidecars(by_name, entry.name))
                elif not target.is_dir():
                    yield Candidate(entry.path, relative, "symbolic link to something that is not a file")
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                stat = entry.stat(follow_symlinks=False)
                yield _found(entry.path, relative, stat, _sidecars(by_name, entry.name))
        pending += reversed(folders)


def _sidecars(by_name: dict[str, os.DirEntry], name: str) -> list[os.DirEntry]:
    """The sidecars beside the file called ``name``, of those listed in its folder."""
    return [by_name[name + suffix] for suffix in SIDECAR_SUFFIXES if name + suffix in by_name]


def _found(path: str, relative: str, stat: os.stat_result, sidecars: list[os.DirEntry]) -> Candidate:
    """The candidate for a file, its size and time summed with its sidecars'."""
    size, mtime_ns = stat.st_size, stat.st_mtime_ns
    for sidecar in sidecars:
        try:
            sidecar_stat = sidecar.stat(follow_symlinks=False)
        except OSError:
            continue  # gone since the folder was listed: the file is read without it
        size += sidecar_stat.st_size
        mtime_ns += sidecar_stat.st_mtime_ns
    return Candidate(path, relative, None, size, mtime_ns)
