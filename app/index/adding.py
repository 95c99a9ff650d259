"""Adding one file to a build: the step every build runs per file, in this process or a worker."""

from __future__ import annotations

from dataclasses import dataclass

from ..ingest import Candidate, SkipFile, load
from .postings.buffer import PostingsWriter
from .report import FileReport
from .schema import fields_of
from .table import DocumentRow

# Memory a writer's postings may take before they are written out as a run.
POSTINGS_MB = 96


@dataclass(frozen=True)
class WriterSettings:
    """How files are read and written: the largest file read, and the postings' memory."""

    max_file_bytes: int = 50_000_000
    memory_mb: float = POSTINGS_MB


# A file to index: the file, "added" or "changed", and the document's key.
Item = tuple[Candidate, str, int]


def part_name(build_number: str, writer: int) -> str:
    """The name of the part a build's writer ``writer`` writes."""
    return f"part-{build_number}-{writer}"


def add_file(
    writer, postings: PostingsWriter, item: Item, settings: WriterSettings
) -> tuple[FileReport, dict | None, DocumentRow | None]:
    """Read, analyse and add one file: its report, its manifest entry and its table row (None
    for both when it was skipped)."""
    candidate, status, key = item
    try:
        document = load(candidate.path, candidate.relative, settings.max_file_bytes)
        fields, analysed, row = fields_of(document, key)
    except SkipFile as skip:
        return FileReport(candidate.relative, "skipped", skip.reason), None, None
    except Exception as error:  # a parser's bug must not stop the archive's build
        reason = f"could not be read: {type(error).__name__}: {error}"
        return FileReport(candidate.relative, "skipped", reason), None, None
    writer.add_document(**fields)
    postings.add(key, analysed)
    languages = [lang.tag for lang in document.languages]
    entry = {
        "id": document.id,
        "key": key,
        "hash": document.fingerprint,
        "size": candidate.size,
        "mtime_ns": candidate.mtime_ns,
        "languages": languages,
        "warnings": document.warnings,
    }
    return FileReport(candidate.relative, status, languages=languages, warnings=document.warnings), entry, row
