"""What a build has to do: the files to read, and what the new generation keeps as it was."""

from __future__ import annotations

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


def skipped_entry(candidate: Candidate, reason: str) -> dict:
    """What the manifest keeps of a file whose reading was skipped: enough to know it unchanged."""
    return {"size": candidate.size, "mtime_ns": candidate.mtime_ns, "reason": reason}


def plan(documents_dir: Path, old_files: dict | None, max_file_bytes: int, old_skipped: dict | None = None) -> Plan:
    """Find the files to index: all of them for a full build (``old_files`` None), else the
    ones whose content hash differs from the live manifest's. A file whose size and modification
    time are those the manifest recorded is not read again, nor is one of a type the archive
    does not read, nor one whose reading was skipped (``old_skipped``) and that has not changed."""
    to_index: list[tuple[Candidate, str]] = []
    reports: list[FileReport] = []
    manifest: dict = {}
    skipped: dict = {}
    ids: dict[str, str] = {}
    previous = old_files or {}
    for candidate in discover(documents_dir):
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
        # An unchanged file is not read again: its warnings are those its reading gave.
        unchanged = FileReport(
            candidate.relative, "unchanged", languages=old.get("languages", []), warnings=old.get("warnings", [])
        )
        reports.append(unchanged)
    removed = [path for path in previous if path not in manifest]
    indexing = {candidate.relative for candidate, _status in to_index}
    reported = {report.path for report in reports}
    for path in previous:
        if path not in manifest and path not in indexing and path not in reported:
            reports.append(FileReport(path, "removed"))
    return Plan(to_index, reports, removed, manifest, previous, skipped)
