"""What a build did, file by file: the report the command line prints and ``--json`` returns."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field, fields

STATUSES = ("added", "changed", "removed", "unchanged", "skipped")


@dataclass(slots=True)
class FileReport:
    """What a build did with one file. A build holds one for every file, each come from a
    worker with strings of its own: slots, and the status and language tags shared (interned),
    make it some 340 bytes, path included, instead of 600."""

    path: str
    status: str  # one of STATUSES
    reason: str | None = None
    languages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Pages OCR recognised in reading it, and pages it took from the cache of recognised pages.
    ocr_pages: int = 0
    ocr_cached: int = 0
    # The documents the file gave: its own, and those it holds (a mailbox's messages...).
    documents: int = 1

    def __post_init__(self) -> None:
        self.status = sys.intern(self.status)
        self.languages = [sys.intern(tag) for tag in self.languages]

    def __reduce__(self):
        # Made again by its constructor where it arrives, so that it shares the interned strings.
        return FileReport, tuple(getattr(self, found.name) for found in fields(self))


@dataclass
class BuildReport:
    """What a build did, file by file, and where the live index now is."""

    files: list[FileReport]
    full: bool
    generation: str | None
    documents: int
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    # Runs of postings written to disk: one per writer when its postings fitted in its memory.
    sorted_runs: int = 0
    # True when nothing was added, changed or removed: no generation was written, and
    # ``generation`` is the live one, as it was.
    up_to_date: bool = False

    def count(self, status: str) -> int:
        """How many files ended with ``status``."""
        return sum(1 for report in self.files if report.status == status)

    @property
    def indexed(self) -> int:
        """Files whose document is in the index after this build."""
        return sum(1 for report in self.files if report.status in ("added", "changed", "unchanged"))

    @property
    def ocr(self) -> dict[str, int]:
        """Pages OCR recognised in this build, and pages taken from its cache instead."""
        return {
            "recognised": sum(report.ocr_pages for report in self.files),
            "from_cache": sum(report.ocr_cached for report in self.files),
        }

    def as_dict(self) -> dict:
        """The report as plain data, for ``--json``."""
        return {
            "full": self.full,
            "up_to_date": self.up_to_date,
            "generation": self.generation,
            "documents": self.documents,
            "seconds": round(self.seconds, 3),
            "counts": {status: self.count(status) for status in STATUSES},
            "ocr_pages": self.ocr,
            "notes": self.notes,
            "files": [asdict(report) for report in self.files],
        }

    def as_text(self) -> str:
        """The report as people read it: counts, then every skipped file and every warning."""
        counts = ", ".join(f"{self.count(status)} {status}" for status in STATUSES)
        if self.up_to_date:
            lines = [
                f"Nothing to do: the index in {self.generation} ({self.documents} documents) is up to date, "
                f"no new generation written ({counts})."
            ]
        else:
            where = f" into {self.generation}" if self.generation else ""
            lines = [
                f"Indexed {self.indexed} files{where} ({self.documents} documents) in {self.seconds:.1f} s: {counts}."
            ]
        ocr = self.ocr
        if ocr["recognised"] or ocr["from_cache"]:
            lines.append(f"OCR: {ocr['recognised']} pages recognised, {ocr['from_cache']} read from the cache.")
        lines += [f"Note: {note}" for note in self.notes]
        skipped = [item for item in self.files if item.status == "skipped"]
        if skipped:
            lines.append(f"Skipped {len(skipped)} files:")
            lines += [f"  {item.path}: {item.reason}" for item in skipped]
        warned = [item for item in self.files if item.warnings]
        if warned:
            lines.append("Warnings:")
            lines += [f"  {item.path}: {warning}" for item in warned for warning in item.warnings]
        return "\n".join(lines)


class BuildError(RuntimeError):
    """The build could not complete; the previous index is untouched and still served."""
