"""Adding files to a build: the step every build runs per file, and the loop over a writer's
batch of files, in this process or a worker."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..ingest import Candidate, Document, Limits, OcrSettings, SkipFile, load_all
from ..ingest.ocr import DEFAULT_LANGUAGES, models
from .postings.buffer import PostingsBuffer
from .report import FileReport
from .rows import Rows
from .schema import fields_of

# Memory a writer's postings may take before they are written out as a run.
POSTINGS_MB = 96


@dataclass(frozen=True)
class WriterSettings:
    """How files are read and written: the largest file read, how scans are recognised (None:
    they are not), how far containers are read, and the postings' memory."""

    max_file_bytes: int = 50_000_000
    memory_mb: float = POSTINGS_MB
    ocr: OcrSettings | None = None
    limits: Limits = field(default_factory=Limits)

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
        max_file_bytes = int(settings["MAX_FILE_MB"] * 1_000_000)
        return cls(max_file_bytes=max_file_bytes, ocr=ocr, limits=Limits.from_settings(settings))


@dataclass(frozen=True)
class Item:
    """A file to index: the file, and "added" or "changed"."""

    candidate: Candidate
    status: str


@dataclass(frozen=True)
class Batch:
    """The files a writer adds, and the keys their documents take: from ``first_key`` on, one
    per document, at most ``last_key`` (None: as many as its files hold, for the last batch of
    a build, which alone may hold containers)."""

    items: list[Item]
    first_key: int
    last_key: int | None = None


@dataclass(frozen=True)
class FileDone:
    """A file added: its report, and its manifest entry (None: it was skipped)."""

    report: FileReport
    entry: dict | None


@dataclass
class BatchResult:
    """What a writer's batch of files gave (each file's report and manifest entry went to the
    build as the file was done): the table row of each document, the part its postings were
    written to (None: no document), how many runs of postings it took, how many documents it
    added and the first key it left unused."""

    rows: Rows = field(default_factory=Rows)
    part: str | None = None
    runs: int = 0
    documents: int = 0
    next_key: int = 0


def part_name(build_number: str, writer: int | str) -> str:
    """The name of the part a build's writer ``writer`` writes."""
    return f"part-{build_number}-{writer}"


def add_batch(
    writer,
    postings: PostingsBuffer,
    batch: Batch,
    settings: WriterSettings,
    done: Callable[[FileDone], None],
) -> BatchResult:
    """Add every file of ``batch`` to Whoosh's ``writer`` and to ``postings``, then close
    ``postings``; ``done`` is given each file's report and manifest entry as the file is added
    (the result keeps nothing per file but its documents' table rows)."""
    # The rows are written out beside the postings' runs as they fill (``Rows``), not kept to the end.
    result = BatchResult(rows=Rows(spill=postings.folder / postings.name), next_key=batch.first_key)
    for item in batch.items:
        report, entry = _add_file(writer, postings, item, settings, result)
        if batch.last_key is not None and result.next_key > batch.last_key + 1:
            raise RuntimeError(f"{item.candidate.relative} gave more documents than its batch has keys")
        done(FileDone(report, entry))
    stem = postings.close()
    result.part = stem.name if stem is not None else None
    result.runs = postings.runs_written
    return result


def _add_file(
    writer, postings: PostingsBuffer, item: Item, settings: WriterSettings, result: BatchResult
) -> tuple[FileReport, dict | None]:
    """Read, analyse and add one file and every document it holds, keys taken from
    ``result.next_key`` on: its report and its manifest entry (None when it was skipped)."""
    candidate, status = item.candidate, item.status
    documents = load_all(candidate.path, candidate.relative, settings.max_file_bytes, settings.ocr, settings.limits)
    keys: dict[str, int] = {}
    added: list[_Added] = []
    try:
        for document in documents:
            key = result.next_key
            parent = keys.get(document.parent.id) if document.parent else None
            try:
                fields, analysed, row = fields_of(document, key, parent)
            except Exception as error:  # a member that cannot be indexed loses no other document
                if not added:
                    raise
                added[0].note(f"{document.id}: could not be indexed: {type(error).__name__}: {error}")
                continue
            # Added as it is read: a mailbox's thousands of messages are never all in memory.
            writer.add_document(**fields)
            postings.add(key, analysed)
            result.rows.append(row)
            result.next_key += 1
            result.documents += 1
            keys[document.id] = key
            added.append(_Added(document))
    except SkipFile as skip:
        if not added:
            return FileReport(candidate.relative, "skipped", skip.reason), None
        raise  # only the file itself can be skipped; its members are named in its warnings
    except Exception as error:  # a parser's bug must not stop the archive's build
        if added:
            raise
        reason = f"could not be read: {type(error).__name__}: {error}"
        return FileReport(candidate.relative, "skipped", reason), None
    root = added[0]
    warnings = [warning for document in added for warning in document.warnings()]
    languages = root.languages
    entry = {
        "id": root.id,
        "key": keys[root.id],
        "hash": root.fingerprint,
        "size": candidate.size,
        "mtime_ns": candidate.mtime_ns,
        "languages": languages,
        "warnings": warnings,
        "children": [key for doc_id, key in keys.items() if doc_id != root.id],
    }
    report = FileReport(
        candidate.relative,
        status,
        languages=languages,
        warnings=warnings,
        ocr_pages=sum(document.ocr_now for document in added),
        ocr_cached=sum(document.ocr_cached for document in added),
        documents=len(added),
    )
    return report, entry


class _Added:
    """What a build keeps of a document once added: what its file's report and manifest entry
    need. Its warnings are read when the whole file is done: a container's name the members it
    could not read, found after it; a member's are named by its steps within the file."""

    __slots__ = ("_warnings", "fingerprint", "id", "languages", "ocr_cached", "ocr_now", "prefix")

    def __init__(self, document: Document) -> None:
        self._warnings = document.warnings  # the list itself: a container's grows after it is added
        self.prefix = "/".join(document.within.steps) if document.within else ""
        self.id = document.id
        self.fingerprint = document.fingerprint
        self.languages = [lang.tag for lang in document.languages]
        self.ocr_now = document.ocr_pages.now
        self.ocr_cached = document.ocr_pages.from_cache

    def note(self, warning: str) -> None:
        """Add ``warning`` to the document's."""
        self._warnings.append(warning)

    def warnings(self) -> list[str]:
        """The document's warnings, a member's after its place in the file."""
        return [f"{self.prefix}: {warning}" if self.prefix else warning for warning in self._warnings]
