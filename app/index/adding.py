"""Adding files to a build: the step every build runs per file, and the loop over a writer's
batch of files, in this process or a worker."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..ingest import Candidate, OcrSettings, SkipFile, load
from ..ingest.ocr import DEFAULT_LANGUAGES, models
from .postings.buffer import PostingsBuffer
from .report import FileReport
from .schema import fields_of
from .table import DocumentRow

# Memory a writer's postings may take before they are written out as a run.
POSTINGS_MB = 96


@dataclass(frozen=True)
class WriterSettings:
    """How files are read and written: the largest file read, how scans are recognised (None:
    they are not), and the postings' memory."""

    max_file_bytes: int = 50_000_000
    memory_mb: float = POSTINGS_MB
    ocr: OcrSettings | None = None

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> WriterSettings:
        """How a build reads files, from the settings table's values: the largest file, and how
        scans are recognised (``ValueError`` naming a model name that is none)."""
        languages, problem = models(settings["OCR_LANGUAGES"])
        if problem:
            raise ValueError(f"ARCHIVE_OCR_LANGUAGES: {problem} (say e.g. chi_tra+eng|chi_sim+eng)")
        ocr = OcrSettings(
            enabled=settings["OCR"],
            languages=languages or DEFAULT_LANGUAGES,
            dpi=settings["OCR_DPI"],
            page_seconds=settings["OCR_PAGE_SECONDS"],
            cache_mb=settings["OCR_CACHE_MB"],
            tesseract=settings["TESSERACT"],
        )
        return cls(max_file_bytes=int(settings["MAX_FILE_MB"] * 1_000_000), ocr=ocr)


@dataclass(frozen=True)
class Item:
    """A file to index: the file, "added" or "changed", and the key its document takes."""

    candidate: Candidate
    status: str
    key: int


@dataclass
class BatchResult:
    """What a writer's batch of files gave: a report for each file, the manifest entry and the
    table row of each document added (by path; in order), the part its postings were written
    to (None: no document) and how many runs of postings it took."""

    reports: list[FileReport] = field(default_factory=list)
    manifest: dict[str, dict] = field(default_factory=dict)
    rows: list[DocumentRow] = field(default_factory=list)
    part: str | None = None
    runs: int = 0


def part_name(build_number: str, writer: int | str) -> str:
    """The name of the part a build's writer ``writer`` writes."""
    return f"part-{build_number}-{writer}"


def add_batch(
    writer,
    postings: PostingsBuffer,
    batch: list[Item],
    settings: WriterSettings,
    done: Callable[[FileReport, int], None] | None = None,
) -> BatchResult:
    """Add every file of ``batch`` to Whoosh's ``writer`` and to ``postings``, then close
    ``postings``; ``done(report, count)`` hears of each file as it is added."""
    result = BatchResult()
    for count, item in enumerate(batch, 1):
        report, entry, row = _add_file(writer, postings, item, settings)
        result.reports.append(report)
        if entry:
            result.manifest[item.candidate.relative] = entry
            result.rows.append(row)
        if done is not None:
            done(report, count)
    stem = postings.close()
    result.part = stem.name if stem is not None else None
    result.runs = postings.runs_written
    return result


def _add_file(
    writer, postings: PostingsBuffer, item: Item, settings: WriterSettings
) -> tuple[FileReport, dict | None, DocumentRow | None]:
    """Read, analyse and add one file: its report, its manifest entry and its table row (None
    for both when it was skipped)."""
    candidate, status, key = item.candidate, item.status, item.key
    try:
        document = load(candidate.path, candidate.relative, settings.max_file_bytes, settings.ocr)
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
    report = FileReport(
        candidate.relative,
        status,
        languages=languages,
        warnings=document.warnings,
        ocr_pages=document.ocr_pages.now,
        ocr_cached=document.ocr_pages.from_cache,
    )
    return report, entry, row
