"""What a build has to do: the files to read, and what the new generation keeps as it was."""

from __future__ import annotations

import contextlib
import gc
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..ingest import Candidate, SkipFile, discover, document_id, file_format, file_hash
from .report import FileReport


@dataclass
class Plan:
    """What a build has to do, worked out from the files and the live manifest."""

    to_index: list[tuple[Candidate, str]]  # the file, and "added" or "changed"
    reports: list[FileReport]
    removed: list[str]  # the files whose documents go (gone or changed), by path
    manifest: dict  # every file the new generation holds, by path
    previous: dict  # the live generation's files (an unchanged file keeps its very entry)
    # The files skipped on reading that have not changed since, by path (size, mtime_ns,
    # reason); the build adds those its reading skips.
    skipped: dict

    @property
    def nothing_to_do(self) -> bool:
        """True when no file was added, changed or removed."""
        return not self.to_index and not self.removed


@dataclass(frozen=True)
class Scope:
    """The part of the documents folder a build looks at again, the rest known unchanged: the
    folders whose own files may have changed, and those whose files at any depth may have
    (folders are POSIX paths relative to the documents folder, "" for itself)."""

    folders: frozenset[str] = frozenset()
    trees: frozenset[str] = frozenset()

    def covers(self, relative: str) -> bool:
        """True when the file at ``relative`` lies in the scope."""
        folder = posixpath.dirname(relative)
        if folder in self.folders:
            return True
        while True:
            if folder in self.trees:
                return True
            if not folder:
                return False
            folder = posixpath.dirname(folder)

    def walked(self) -> list[tuple[str, bool]]:
        """The folders to walk, each with whether its folders are walked too (``discover``)."""
        return [(folder, False) for folder in sorted(self.folders)] + [(tree, True) for tree in sorted(self.trees)]


def skipped_entry(candidate: Candidate, reason: str) -> dict:
    """What the manifest keeps of a file whose reading was skipped: enough to know it unchanged."""
    return {"size": candidate.size, "mtime_ns": candidate.mtime_ns, "reason": reason}


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused, as it was again after. A build's bookkeeping holds an
    entry for every file of the archive and makes a report for each: every collection that
    allocating them sets off walks all of them again (at 60,000 files, a third of the time of an
    update of one file). What it makes is freed as it goes by reference counting; any cycle
    waits for the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan(
    documents_dir: Path,
    old_files: dict | None,
    max_file_bytes: int,
    old_skipped: dict | None = None,
    scope: Scope | None = None,
) -> Plan:
    """Find the files to index: all of them for a full build (``old_files`` None), else the
    ones whose content hash differs from the live manifest's. A file whose size and modification
    time are those the manifest recorded is not read again, nor is one of a type the archive
    does not read, nor one whose reading was skipped (``old_skipped``) and that has not changed.

    With a ``scope`` (and ``old_files``), only the files in it are looked at: the others are
    kept as the live manifest has them, unchanged (files the archive does not read, outside
    it, are not reported)."""
    with collector_paused():
        return _plan(documents_dir, old_files, max_file_bytes, old_skipped, scope)


def _plan(
    documents_dir: Path, old_files: dict | None, max_file_bytes: int, old_skipped: dict | None, scope: Scope | None
) -> Plan:
    to_index: list[tuple[Candidate, str]] = []
    reports: list[FileReport] = []
    manifest: dict = {}
    skipped: dict = {}
    ids: dict[str, str] = {}
    previous = old_files or {}
    if scope is not None and old_files is not None:
        _keep_outside(scope, previous, old_skipped or {}, manifest, skipped, reports)
    for candidate in discover(documents_dir, None if scope is None or old_files is None else scope.walked()):
        reason = candidate.skip_reason
        if reason is None:
            try:
                file_format(candidate.relative)
            except SkipFile as skip:
                reason = skip.reason
        if reason:
            reports.append(FileReport(candidate.relative, "skipped", reason))
            continue
        doc_id = document_id(candidate.relative)
        if doc_id in ids:
            reason = f"its id {doc_id!r} is already taken by {ids[doc_id]}"
            reports.append(FileReport(candidate.relative, "skipped", reason))
            continue
        ids[doc_id] = candidate.relative
        old = previous.get(candidate.relative)
        if old is None:
            known = (old_skipped or {}).get(candidate.relative)
            if known and (known["size"], known["mtime_ns"]) == (candidate.size, candidate.mtime_ns):
                reports.append(FileReport(candidate.relative, "skipped", known["reason"]))
                skipped[candidate.relative] = known
            else:
                to_index.append((candidate, "added"))
            continue
        if old.get("mtime_ns") != candidate.mtime_ns or old.get("size") != candidate.size:
            # Size or time (of the file or its sidecar) changed: the content hash of both decides
            # (same size and time: not read again).
            try:
                digest = file_hash(candidate.path, max_file_bytes)
            except SkipFile as skip:
                reports.append(FileReport(candidate.relative, "skipped", skip.reason))
                skipped[candidate.relative] = skipped_entry(candidate, skip.reason)
                continue
            if old.get("hash") != digest:
                to_index.append((candidate, "changed"))
                continue
            old = {**old, "size": candidate.size, "mtime_ns": candidate.mtime_ns}
        manifest[candidate.relative] = old
        reports.append(_unchanged(candidate.relative, old))
    removed = [path for path in previous if path not in manifest]
    indexing = {candidate.relative for candidate, _status in to_index}
    reported = {report.path for report in reports}
    for path in previous:
        if path not in manifest and path not in indexing and path not in reported:
            reports.append(FileReport(path, "removed"))
    return Plan(to_index, reports, removed, manifest, previous, skipped)


def _keep_outside(
    scope: Scope, previous: dict, old_skipped: dict, manifest: dict, skipped: dict, reports: list
) -> None:
    """Keep the live manifest's files and skipped files outside ``scope`` as they are."""
    covered: dict[str, bool] = {}  # by folder: an archive has far fewer folders than files

    def covers(path: str) -> bool:
        folder = path[: max(path.rfind("/"), 0)]  # posixpath.dirname of a relative path, faster
        found = covered.get(folder)
        if found is None:
            found = covered[folder] = scope.covers(path)
        return found

    for path, old in previous.items():
        if not covers(path):
            manifest[path] = old
            reports.append(_unchanged(path, old))
    for path, known in old_skipped.items():
        if not covers(path):
            skipped[path] = known
            reports.append(FileReport(path, "skipped", known["reason"]))


def _unchanged(path: str, old: dict) -> FileReport:
    """An unchanged file is not read again: its warnings are those its reading gave."""
    return FileReport(path, "unchanged", languages=old.get("languages", []), warnings=old.get("warnings", []))
