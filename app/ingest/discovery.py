"""Finding the files of the archive: what a build reads, and what it passes over and why."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
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


def discover(root: Path, folders: Iterable[tuple[str, bool]] | None = None) -> Iterator[Candidate]:
    """Yield every file under ``root`` in a stable order, with hidden files and sidecars left out.

    Symbolic links are followed only when they lead to a file inside ``root``; links to folders
    are not walked (what they lead to inside ``root`` is walked anyway).

    ``folders`` limits the walk to those folders (POSIX paths relative to ``root``, "" for
    ``root`` itself), each with whether the folders inside it are walked too: what a walk of
    ``root`` would find in them, and nothing from a folder such a walk does not enter (hidden,
    or reached through a link).
    """
    root = root.resolve()
    prefix = len(str(root)) + 1
    if folders is None:
        pending = [(str(root), True)]
    else:
        pending = [
            (str(root / folder) if folder else str(root), deep)
            for folder, deep in _outermost(folders)
            if _walked(root, folder)
        ]
        # Popped in the order a walk of root meets them.
        pending.sort(key=lambda item: item[0].split(os.sep), reverse=True)
    while pending:
        directory, deep = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=_name)
        except OSError:
            continue
        by_name = {entry.name: entry for entry in entries}
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if is_sidecar(entry.name) and not entry.is_dir(follow_symlinks=False):
                continue  # read with the file it describes
            relative = entry.path[prefix:]
            if os.sep != "/":
                relative = relative.replace(os.sep, "/")
            shown = _undecodable(relative)
            if shown is not None and not entry.is_dir(follow_symlinks=False):
                yield Candidate(entry.path, shown, _UNDECODABLE)
                continue
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
                if deep:
                    subfolders.append((entry.path, True))
            elif entry.is_file(follow_symlinks=False):
                stat = entry.stat(follow_symlinks=False)
                yield _found(entry.path, relative, stat, _sidecars(by_name, entry.name))
        pending += reversed(subfolders)


# A name the file system gives as bytes that are not UTF-8 (os.fsdecode keeps them as lone
# surrogates) can be neither stored nor printed as the file's id: the file is passed over, named
# with those bytes escaped, until it is renamed.
_UNDECODABLE = "its name is not valid UTF-8 (perhaps GBK or Big5): rename it to index it"


def _undecodable(relative: str) -> str | None:
    """``relative`` with the bytes that are not UTF-8 written as ``\\xNN``; None when it is UTF-8."""
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        return relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


def _outermost(folders: Iterable[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """``folders`` without those a deep one among them holds, each once (deep if any says so)."""
    deepest: dict[str, bool] = {}
    for folder, deep in folders:
        deepest[folder] = deepest.get(folder, False) or deep
    trees = [folder for folder, deep in deepest.items() if deep]
    return [
        (folder, deep)
        for folder, deep in deepest.items()
        if not any(tree != folder and (tree == "" or folder.startswith(tree + "/")) for tree in trees)
    ]


def _walked(root: Path, folder: str) -> bool:
    """True when a walk of ``root`` enters ``folder``: each of its parts a folder, not a link,
    its name not hidden."""
    here = root
    for part in folder.split("/") if folder else ():
        here = here / part
        if part.startswith(".") or here.is_symlink() or not here.is_dir():
            return False
    return True


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
