"""Adding one file to a segment: the step every build runs per file, in this process or a worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..ingest import Candidate, SkipFile, load
from .hanpairs import PairWriter
from .report import FileReport
from .schema import fields_of
from .whoosh_internals import RUN_CHUNK, SegmentBuilder

# Memory for a writer's postings before it sorts them through runs on disk.
WRITER_MB = 256


@dataclass(frozen=True)
class WriterSettings:
    """How files are read and written: the largest file read, and the writer's sorting memory."""

    max_file_bytes: int = 50_000_000
    memory_mb: float = WRITER_MB
    run_chunk: int = RUN_CHUNK


# A file to index: the file, "added" or "changed", and the document's key.
Item = tuple[Candidate, str, int]


def segment_builder(ix, settings: WriterSettings, **kwargs) -> SegmentBuilder:
    """A writer for a new segment of ``ix``."""
    return SegmentBuilder(ix, settings.memory_mb, run_chunk=settings.run_chunk, **kwargs)


def pairs_file(generation: Path, build_number: str, part: int) -> Path:
    """Where a build writes the Han pairs of the documents one writer adds."""
    return generation / f"pairs-{build_number}-{part}.sqlite"


def add_file(
    writer: SegmentBuilder, pairs: PairWriter, item: Item, settings: WriterSettings
) -> tuple[FileReport, dict | None]:
    """Read, analyse and add one file; its report and its manifest entry (None if skipped)."""
    candidate, status, key = item
    try:
        document = load(candidate.path, candidate.relative, settings.max_file_bytes)
        fields, han_pairs = fields_of(document, key)
    except SkipFile as skip:
        return FileReport(candidate.relative, "skipped", skip.reason), None
    except Exception as error:  # a parser's bug must not stop the archive's build
        return FileReport(candidate.relative, "skipped", f"could not be read: {type(error).__name__}: {error}"), None
    writer.add_document(**fields)
    pairs.add(key, han_pairs)
    languages = [lang.tag for lang in document.languages]
    entry = {
        "id": document.id,
        "key": key,
        "hash": document.hash,
        "size": candidate.size,
        "mtime_ns": candidate.mtime_ns,
        "languages": languages,
    }
    return FileReport(candidate.relative, status, languages=languages, warnings=document.warnings), entry
