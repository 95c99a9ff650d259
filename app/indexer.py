"""Building the index: its schema, full and incremental builds, in parallel where it pays.

Every build writes a new generation (see ``generations``) and publishes it atomically. A full
build splits the files among worker processes, each of which reads, analyses and writes its own
segment: both cores do all the work, and no document crosses a process boundary. An incremental
build starts from hard links to the live generation's files, which Whoosh never rewrites,
deletes what changed or went away, and adds what is new.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import gc
import multiprocessing
import os
import pickle
import queue
import re
import shutil
import signal
import sqlite3
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from itertools import accumulate, islice
from operator import sub
from pathlib import Path

from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Positions
from whoosh.index import FileIndex
from whoosh.writing import PostingPool, SegmentWriter

from .analysis import Analysed, ArchiveAnalyzer, analyse
from .generations import (
    READERS,
    collect_garbage,
    current_generation,
    next_generation,
    publish,
    writer_lock,
)
from .ingest import Candidate, Document, SkipFile, discover, document_id, load, read_bytes
from .ingest import content_hash as file_hash
from .manifest import MANIFEST, read_manifest, write_manifest
from .pairs import PAIRS_GLOB, PairWriter, merge_files
from .textstore import indexed_content, pack_offsets, pack_text

# Bump when the schema or the analysis changes: an index of another version is rebuilt in full.
SCHEMA_VERSION = 5
# The languages a filter on ``zh`` finds: every Chinese language and script.
_CHINESE = frozenset({"zh", "cmn", "yue", "nan", "hak", "wuu", "lzh"})
# A full build uses worker processes when there are at least this many files per worker.
_FILES_PER_WORKER = 50
_WRITER_MB = 256
# Postings per pickle in the writer's sorted runs.
_RUN_CHUNK = 4096


class ArchivePositions(Positions):
    """Positions stored as the gaps between them in the narrowest array that holds them (a
    byte each, mostly), behind a one-byte type code: smaller than Whoosh's pickled gaps, and
    read and written by C loops (``array``, ``accumulate``) on every phrase match and highlight."""

    def encode(self, poslist: list[int]) -> bytes:
        """A posting's value: the type code, then the gaps."""
        gaps = array("I", poslist[:1])
        gaps.extend(map(sub, poslist[1:], poslist[:-1]))
        top = max(gaps)
        code = "B" if top < 0x100 else "H" if top < 0x10000 else "I"
        return code.encode("ascii") + (array(code, gaps) if code != "I" else gaps).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """The positions of a posting."""
        gaps = array(chr(valuestring[0]))
        gaps.frombytes(valuestring[1:])
        return list(accumulate(gaps))

    def decode_frequency(self, valuestring: bytes) -> int:
        """How many positions a posting holds."""
        return (len(valuestring) - 1) // array(chr(valuestring[0])).itemsize

    def decode_weight(self, valuestring: bytes) -> float:
        """The posting's weight: its frequency, times the field's boost."""
        return self.decode_frequency(valuestring) * self.field_boost


class ArchiveText(TEXT):
    """The text field: positions for phrases; the analysis is done once by ``analyse``.

    ``index`` takes an ``Analysed`` text (what the build passes) and turns each term's positions
    into Whoosh postings directly; given a plain string it analyses it like any TEXT field.
    """

    def index(self, value, **kwargs):
        """(term bytes, frequency, weight, encoded positions) for each term of ``value``."""
        if not isinstance(value, Analysed):
            return super().index(value, **kwargs)
        encode = self.format.encode
        return [
            (term.encode("utf-8"), len(found), float(len(found)), encode(found))
            for term, found in value.positions.items()
        ]


def make_schema() -> Schema:
    """The fields of every document in the index."""
    content = ArchiveText(analyzer=ArchiveAnalyzer(), phrase=True, multitoken_query="phrase")
    content.format = ArchivePositions(field_boost=content.format.field_boost)
    return Schema(
        id=ID(unique=True),
        # Title and text, with positions for phrases. A word that analyses into several terms
        # (人權, Hong-Kong) is searched as the phrase of those terms.
        content=content,
        # Filters and facets: exact values.
        language=KEYWORD(commas=True, lowercase=False, scorable=False),
        lang=KEYWORD(commas=True, lowercase=False, scorable=False),
        year=KEYWORD(commas=True, lowercase=False, scorable=False),
        author=KEYWORD(commas=True, lowercase=False, scorable=False),
        tag=KEYWORD(commas=True, lowercase=False, scorable=False),
        # Sorting by date: undated documents sort after dated ones either way.
        date_key=NUMERIC(bits=64, sortable=True),
        has_date=NUMERIC(bits=8, sortable=True),
        # What results and document pages show; the text and where each token starts are
        # columns (textstore), read for one document without decompressing the others.
        record=STORED(),
        body=COLUMN(VarBytesColumn()),
        offsets=COLUMN(VarBytesColumn()),
        # The document's stable key in the pairs files (Whoosh's numbers change on merges).
        key=COLUMN(NumericColumn("I")),
    )


def language_filter_terms(tags: list[str]) -> list[str]:
    """Terms a language filter matches: the tag, its language, and ``zh`` for any Chinese."""
    terms: list[str] = []
    for tag in tags:
        parts = tag.split("-")
        candidates = [tag, parts[0].lower()]
        script = next((part.title() for part in parts[1:] if len(part) == 4), None)
        if parts[0].lower() in _CHINESE:
            candidates.append("zh")
            if script:
                candidates.append(f"zh-{script}")
        for term in candidates:
            if term not in terms:
                terms.append(term)
    return terms


def record_of(document: Document) -> dict:
    """The metadata stored with a document and shown with it."""
    return {
        "id": document.id,
        "path": document.path,
        "title": document.title,
        "languages": [{"tag": lang.tag, "share": lang.share} for lang in document.languages],
        "date": document.date,
        "author": document.author,
        "tags": document.tags,
        "url": document.url,
        "description": document.description,
        "format": document.format,
        "size": document.size,
        "hash": document.hash,
        "pages": document.pages,
        "chars": len(document.text),
    }


def _fields_of(document: Document, key: int) -> tuple[dict, Counter[str]]:
    """The fields to index for ``document``, and its pairs of Han characters."""
    tags = [lang.tag for lang in document.languages]
    year = document.date[:4] if document.date and document.date[:4].isdigit() else ""
    digits = re.sub(r"\D", "", document.date or "")[:14].ljust(14, "0")
    analysed = analyse(indexed_content(document.title, document.text))
    fields = {
        "id": document.id,
        "key": key,
        "content": analysed,
        "language": ",".join(tags),
        "lang": ",".join(language_filter_terms(tags)),
        "year": year,
        "author": ",".join(_facet_value(name) for name in _author_names(document.author)),
        "tag": ",".join(_facet_value(tag) for tag in document.tags),
        "date_key": int(digits) if document.date else 0,
        "has_date": 1 if document.date else 0,
        "record": record_of(document),
        "body": pack_text(document.text),
        "offsets": pack_offsets(analysed.starts),
    }
    return fields, analysed.pairs


def _author_names(author: str | None) -> list[str]:
    return [name.strip() for name in (author or "").split(";") if name.strip()]


def _facet_value(value: str) -> str:
    # Commas separate the values of a keyword field.
    return value.replace(",", " ").strip()


class _CachedLengths:
    """A segment's per-document reader whose field lengths are read once and kept.

    Whoosh's postings writer asks for the document's length once per posting (for the block
    statistics that let queries skip blocks) and reads it from the file each time.
    """

    def __init__(self, reader) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        """The length of ``fieldname`` in document ``docnum``, as the index stores it."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            count = self._reader.doc_count_all()
            lengths = self._lengths[fieldname] = [read(docnum, fieldname) for docnum in range(count)]
        return lengths[docnum] if docnum < len(lengths) else default

    def __getattr__(self, name: str):
        return getattr(self._reader, name)


class _ChunkedPostingPool(PostingPool):
    """Whoosh's pool of postings, writing each sorted run to disk as pickled lists of postings
    rather than one pickle per posting: the same runs in the same order, with a thousandth of
    the calls (one per posting was a quarter of a full build)."""

    def _write_run(self, f, items) -> None:
        items = iter(items)
        while chunk := list(islice(items, _RUN_CHUNK)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                yield from pickle.load(f)
        except EOFError:
            return
        finally:
            f.close()
            self._remove_run(path)


class _Writer(SegmentWriter):
    """Whoosh's segment writer, reading each document's lengths once when it writes postings,
    and sorting them in a pool that writes its runs in chunks."""

    def __init__(self, ix, limitmb: int = _WRITER_MB, **kwargs) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = _ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def per_document_reader(self):
        """The per-document reader of the segment being written, with lengths kept."""
        return _CachedLengths(super().per_document_reader())


# -- Reports ---------------------------------------------------------------------------------


@dataclass
class FileReport:
    """What a build did with one file."""

    path: str
    status: str  # added, changed, unchanged, removed, skipped
    reason: str | None = None
    languages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    """What a build did, file by file, and where the live index now is."""

    files: list[FileReport]
    full: bool
    generation: str | None
    documents: int
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many files ended with ``status``."""
        return sum(1 for report in self.files if report.status == status)

    @property
    def indexed(self) -> int:
        """Files whose document is in the index after this build."""
        return sum(1 for report in self.files if report.status in ("added", "changed", "unchanged"))

    @property
    def exit_code(self) -> int:
        """0 when every file was indexed, 1 when some were skipped."""
        return 1 if self.count("skipped") else 0

    def as_dict(self) -> dict:
        """The report as plain data, for ``--json``."""
        statuses = ("added", "changed", "removed", "unchanged", "skipped")
        return {
            "full": self.full,
            "generation": self.generation,
            "documents": self.documents,
            "seconds": round(self.seconds, 3),
            "counts": {status: self.count(status) for status in statuses},
            "notes": self.notes,
            "files": [asdict(report) for report in self.files],
        }


class BuildError(RuntimeError):
    """The build could not complete; the previous index is untouched and still served."""


# -- Building --------------------------------------------------------------------------------

ProgressCallback = Callable[[FileReport, int, int], None]


@dataclass
class _Plan:
    """What a build has to do, worked out from the files and the live manifest."""

    to_index: list[tuple[Candidate, str]]  # the file, and "added" or "changed"
    reports: list[FileReport]
    removed_ids: list[str]
    manifest: dict  # every file the new generation holds, by path
    previous: dict  # the live generation's files (an unchanged file keeps its very entry)


def build(
    documents_dir: Path,
    index_dir: Path,
    *,
    full: bool = False,
    procs: int = 1,
    max_file_bytes: int = 50_000_000,
    lock_timeout: float = 60,
    progress: ProgressCallback | None = None,
) -> BuildReport:
    """Bring the index in ``index_dir`` up to date with ``documents_dir`` and publish it.

    By default only added, changed and removed files are processed; ``full`` rebuilds from
    scratch, with ``procs`` worker processes. Files that cannot be read are skipped and
    reported; the rest are indexed. Raises ``IndexLocked`` when another build runs too long,
    ``BuildError`` when this one fails (the previous index stays live and complete).
    """
    if not documents_dir.is_dir():
        raise FileNotFoundError(f"documents directory not found: {documents_dir}")
    started = time.monotonic()
    notes: list[str] = []
    with writer_lock(index_dir, lock_timeout, notes), _few_collections():
        collect_garbage(index_dir)
        live = current_generation(index_dir)
        old_manifest = read_manifest(live) if live else {}
        if live and old_manifest.get("schema") != SCHEMA_VERSION:
            notes.append("the index was built by another version: rebuilding it in full")
            full = True
        if live is None:
            full = True
        plan = _plan(documents_dir, None if full else old_manifest.get("files", {}), max_file_bytes)
        if not full and not plan.to_index and not plan.removed_ids:
            documents = old_manifest.get("documents", 0)
            report = BuildReport(plan.reports, full, live.name if live else None, documents, notes=notes)
            report.notes.append("the index is up to date: nothing to do")
            report.seconds = time.monotonic() - started
            return report
        generation = next_generation(index_dir)
        first_key = 0 if full else old_manifest.get("next_key", 0)
        try:
            documents = _write_generation(
                generation, None if full else live, plan, documents_dir, max_file_bytes, procs, progress, first_key
            )
            publish(index_dir, generation)
        except BaseException as error:
            shutil.rmtree(generation, ignore_errors=True)
            full_disk = (isinstance(error, OSError) and error.errno == errno.ENOSPC) or (
                isinstance(error, sqlite3.Error) and "full" in str(error)
            )
            if full_disk:
                raise BuildError(
                    f"no space left on the device while writing {generation}; the previous index is unchanged"
                ) from error
            if isinstance(error, OSError | sqlite3.Error):
                raise BuildError(f"could not write the index ({error}); the previous index is unchanged") from error
            raise
        collect_garbage(index_dir)
    report = BuildReport(plan.reports, full, generation.name, documents, notes=notes)
    report.seconds = time.monotonic() - started
    return report


def _plan(documents_dir: Path, old_files: dict | None, max_file_bytes: int) -> _Plan:
    """Find the files to index: all of them for a full build (``old_files`` None), else the
    ones whose content hash differs from the live manifest's. A file whose size and modification
    time are those the manifest recorded is not read again."""
    to_index: list[tuple[Candidate, str]] = []
    reports: list[FileReport] = []
    manifest: dict = {}
    ids: dict[str, str] = {}
    previous = old_files or {}
    for candidate in discover(documents_dir):
        if candidate.skip_reason:
            reports.append(FileReport(candidate.relative, "skipped", candidate.skip_reason))
            continue
        doc_id = document_id(candidate.relative)
        if doc_id in ids:
            reason = f"its id {doc_id!r} is already taken by {ids[doc_id]}"
            reports.append(FileReport(candidate.relative, "skipped", reason))
            continue
        ids[doc_id] = candidate.relative
        old = previous.get(candidate.relative)
        if old is None:
            to_index.append((candidate, "added"))
            continue
        if old.get("mtime_ns") != candidate.mtime_ns or old.get("size") != candidate.size:
            # Size or time changed: the content hash decides (same size and time: not read again).
            try:
                digest = file_hash(read_bytes(candidate.path, max_file_bytes))
            except SkipFile as skip:
                reports.append(FileReport(candidate.relative, "skipped", skip.reason))
                continue
            if old.get("hash") != digest:
                to_index.append((candidate, "changed"))
                continue
            old = {**old, "size": candidate.size, "mtime_ns": candidate.mtime_ns}
        manifest[candidate.relative] = old
        reports.append(FileReport(candidate.relative, "unchanged", languages=old.get("languages", [])))
    removed_ids = [entry["id"] for path, entry in previous.items() if path not in manifest]
    indexing = {candidate.relative for candidate, _status in to_index}
    reported = {report.path for report in reports}
    for path in previous:
        if path not in manifest and path not in indexing and path not in reported:
            reports.append(FileReport(path, "removed"))
    return _Plan(to_index, reports, removed_ids, manifest, previous)


def _write_generation(
    generation: Path,
    base: Path | None,
    plan: _Plan,
    documents_dir: Path,
    max_file_bytes: int,
    procs: int,
    progress: ProgressCallback | None,
    first_key: int,
) -> int:
    generation.mkdir()
    (generation / READERS).touch()
    storage = FileStorage(str(generation))
    if base is None:
        ix = storage.create_index(make_schema())
    else:
        for path in base.iterdir():
            if path.is_file() and path.name not in (READERS, MANIFEST) and not path.name.endswith("LOCK"):
                os.link(path, generation / path.name)
        ix = storage.open_index()
    expected = ix.doc_count() - len(plan.removed_ids)
    number = generation.name.removeprefix("gen-")
    workers = min(procs, len(plan.to_index) // _FILES_PER_WORKER)
    if base is None and workers > 1:
        batches = _keyed(_deal(plan.to_index, workers), first_key)
        results = _index_in_parallel(str(generation), number, batches, max_file_bytes, progress)
    else:
        batch = _keyed([plan.to_index], first_key)[0]
        results = [_index_in_this_process(ix, plan.removed_ids, batch, generation, number, max_file_bytes, progress)]
    for reports, manifest in results:
        plan.reports.extend(reports)
        plan.manifest.update(manifest)
        expected += len(manifest)
    if base is not None:
        _compact_pairs(generation, number, {entry["key"] for entry in plan.manifest.values()})
    documents = FileIndex(storage).doc_count()
    if documents != expected:
        raise BuildError(f"the new index holds {documents} documents where {expected} were written")
    info = {
        "schema": SCHEMA_VERSION,
        "documents": documents,
        "next_key": first_key + len(plan.to_index),
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "documents_dir": str(documents_dir),
    }
    write_manifest(generation, info, plan.manifest, base, plan.previous)
    plan.reports.sort(key=lambda report: report.path)
    return documents


# Past this many pairs files in a generation, those of incremental builds are merged into one.
MAX_PAIRS_FILES = 8


def _compact_pairs(generation: Path, number: str, live_keys: set[int]) -> None:
    """Merge the pairs files of incremental builds once there are too many (every search of a
    Chinese word reads every file), leaving out removed documents. The files of the full build,
    the oldest, stay as they are."""
    files = sorted(generation.glob(PAIRS_GLOB))
    if len(files) <= MAX_PAIRS_FILES:
        return
    oldest = _build_number(files[0])
    later = [path for path in files if _build_number(path) != oldest]
    merge_files(later, generation / f"pairs-{number}-merged.sqlite", live_keys)
    for path in later:
        path.unlink()


def _build_number(pairs_file: Path) -> str:
    """The build that wrote a pairs file: ``pairs-000007-0.sqlite`` -> ``000007``."""
    return pairs_file.name.split("-")[1]


# A file to index: the file, "added" or "changed", and the document's key.
_Item = tuple[Candidate, str, int]


def _keyed(batches: list[list[tuple[Candidate, str]]], first_key: int) -> list[list[_Item]]:
    """Give each file a key; within a batch the keys increase (the pairs files need that)."""
    keyed, key = [], first_key
    for batch in batches:
        keyed.append([(candidate, status, key + offset) for offset, (candidate, status) in enumerate(batch)])
        key += len(batch)
    return keyed


def _index_file(
    writer: SegmentWriter, pairs: PairWriter, item: _Item, max_file_bytes: int
) -> tuple[FileReport, dict | None]:
    """Read, analyse and add one file; its report and its manifest entry (None if skipped)."""
    candidate, status, key = item
    try:
        document = load(candidate.path, candidate.relative, max_file_bytes)
        fields, han_pairs = _fields_of(document, key)
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


def _index_in_this_process(
    ix: FileIndex,
    removed_ids: list[str],
    batch: list[_Item],
    generation: Path,
    number: str,
    max_file_bytes: int,
    progress: ProgressCallback | None,
):
    writer = _Writer(ix, limitmb=_WRITER_MB)
    pairs = PairWriter(generation / f"pairs-{number}-0.sqlite")
    reports: list[FileReport] = []
    manifest: dict = {}
    try:
        for doc_id in removed_ids:
            writer.delete_by_term("id", doc_id)
        for done, item in enumerate(batch, 1):
            report, entry = _index_file(writer, pairs, item, max_file_bytes)
            reports.append(report)
            if entry:
                manifest[item[0].relative] = entry
            if progress:
                progress(report, done, len(batch))
        pairs.close()
        writer.commit()
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    return reports, manifest


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """Let the garbage collector run less often while a build runs: the manifest, the reports
    and Whoosh's writer hold millions of small objects, and each full collection walks them all."""
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


# Set in each worker process: where it reports each file as it finishes it.
_worker_events = None


def _start_worker(events) -> None:
    """In a build worker: die with the build (a killed build leaves no writer behind)."""
    global _worker_events
    _worker_events = events
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the build died before the line above ran
        os._exit(1)
    gc.set_threshold(100_000, 50, 100)  # as _few_collections, for the worker's life


def _index_batch(folder: str, number: str, worker: int, batch: list[_Item], max_file_bytes: int):
    """In a worker: index ``batch`` into a segment and a pairs file of its own."""
    ix = FileStorage(folder).open_index()
    # The build holds the writer lock; the segment is committed by the parent with the others.
    writer = _Writer(ix, _lk=False, limitmb=_WRITER_MB, compound=False)
    pairs = PairWriter(Path(folder) / f"pairs-{number}-{worker}.sqlite")
    reports: list[FileReport] = []
    manifest: dict = {}
    for item in batch:
        report, entry = _index_file(writer, pairs, item, max_file_bytes)
        reports.append(report)
        if entry:
            manifest[item[0].relative] = entry
        _worker_events.put(report)
    pairs.close()
    if writer._added:
        segment = writer._finalize_segment()
    else:
        writer._close_segment()
        segment = None
    return segment, reports, manifest


def _index_in_parallel(
    folder: str,
    number: str,
    batches: list[list[_Item]],
    max_file_bytes: int,
    progress: ProgressCallback | None,
):
    """Index the batches with a worker process each, then commit their segments together."""
    total = sum(map(len, batches))
    context = multiprocessing.get_context("fork")
    events = context.Queue()
    with ProcessPoolExecutor(len(batches), mp_context=context, initializer=_start_worker, initargs=(events,)) as pool:
        futures = [
            pool.submit(_index_batch, folder, number, worker, batch, max_file_bytes)
            for worker, batch in enumerate(batches)
        ]
        done = 0
        while done < total:
            if all(future.done() for future in futures) and events.empty():
                break
            try:
                report = events.get(timeout=0.5)
            except queue.Empty:
                continue
            done += 1
            if progress:
                progress(report, done, total)
        results = [future.result() for future in futures]
    ix = FileStorage(folder).open_index()
    writer = ix.writer()
    segments = [segment for segment, _reports, _manifest in results if segment is not None]
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()
    return [(reports, manifest) for _segment, reports, manifest in results]


def _deal(items: list[tuple[Candidate, str]], workers: int) -> list[list[tuple[Candidate, str]]]:
    """Split the files among the workers so each gets about the same number of bytes."""
    batches: list[list[tuple[Candidate, str]]] = [[] for _ in range(workers)]
    loads = [0] * workers
    sized = []
    for item in items:
        try:
            sized.append((os.stat(item[0].path).st_size, item))
        except OSError:
            sized.append((0, item))
    for size, item in sorted(sized, key=lambda pair: pair[0], reverse=True):
        lightest = loads.index(min(loads))
        batches[lightest].append(item)
        loads[lightest] += size + 2_000  # a file costs something whatever its size
    return batches
