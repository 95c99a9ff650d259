"""Writing a new generation: its folder (a full build's empty, an incremental build's holding
links to the live generation's files), the files indexed, in this process or in workers, the
parts of incremental builds merged when there are too many, then the table and the manifest.
Each step is a function of its own; ``build`` calls ``write_generation`` with the build's plan.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from .. import glossary
from .adding import Batch, BatchResult, FileDone, Item, WriterSettings, add_batch, part_name
from .arrays import ArrayFile
from .compiled_glossary import write_compiled
from .generations import READERS, RETIRED
from .manifest import MANIFEST, ManifestWriter
from .plan import Plan, skipped_entry
from .postings.buffer import PostingsBuffer
from .postings.merge import merge
from .postings.part import files, part_stems
from .report import BuildError, FileReport
from .schema import SCHEMA_VERSION, make_schema
from .table import TABLE, TABLE_FORMAT, write_table
from .whoosh_internals import numeric_column
from .workers import deal, index_in_parallel

# Past this many parts in a generation, those of incremental builds are merged into one.
MAX_PARTS = 8

# A full build uses worker processes when there are at least this many files per worker.
FILES_PER_WORKER = 50

ProgressCallback = Callable[[FileReport, int, int], None]


@dataclass(frozen=True)
class NewGeneration:
    """The generation a build writes: its folder, the live generation it starts from (None: a
    full build), the first key its documents take, and the parts the last full build wrote
    (which incremental builds never merge)."""

    path: Path
    base: Path | None
    first_key: int
    full_parts: tuple[str, ...] = ()

    @property
    def number(self) -> str:
        """The build's number, which names its parts."""
        return self.path.name.removeprefix("gen-")


@dataclass(frozen=True)
class Indexing:
    """How a build indexes its files: how they are read and written, with how many worker
    processes, and who hears of each file."""

    writer: WriterSettings
    procs: int = 1
    progress: ProgressCallback | None = None


@dataclass(frozen=True)
class Written:
    """What writing a generation gave: a report for every file (by path), the documents the
    generation holds, and the sorted runs of postings written."""

    reports: list[FileReport]
    documents: int
    runs: int


def write_generation(new: NewGeneration, work: Plan, indexing: Indexing, facts: dict) -> Written:
    """Write the new generation for ``work``, its manifest holding ``facts`` besides the
    build's own (the schema, the documents, the next key, the time, the full build's parts)."""
    ix = _start(new)
    expected = ix.doc_count() - sum(1 + len(work.previous[path].get("children", ())) for path in work.removed)
    manifest = ManifestWriter(new.path, new.base)
    try:
        manifest.remove(work.removed)
        for path, entry in work.manifest.items():
            if work.previous.get(path) is not entry:  # unchanged, with a new size or time
                manifest.put(path, entry)
        files = _FilesDone(manifest, new.base is not None, len(work.to_index), indexing.progress)
        batches = _index_files(ix, new, work, indexing, files)
        reports = [*work.reports, *files.reports]
        if new.base is None:
            full_parts = tuple(batch.part for batch in batches if batch.part is not None)
        else:
            full_parts = new.full_parts
            _compact_parts(new, full_parts)
        whoosh_index = FileIndex(FileStorage(str(new.path)))
        documents = whoosh_index.doc_count()
        expected += sum(batch.documents for batch in batches)
        if documents != expected:
            raise BuildError(f"the new index holds {documents} documents where {expected} were written")
        _write_table(new, batches, manifest.live_keys(), whoosh_index)
        write_compiled(new.path)
        info = {
            "schema": SCHEMA_VERSION,
            "glossary": glossary.fingerprint(),
            "documents": documents,
            "next_key": max([new.first_key, *(batch.next_key for batch in batches)]),
            "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "full_parts": list(full_parts),
            **facts,
        }
        skipped = {**work.skipped, **_skipped_in_reading(work, reports)}
        # An update's manifest is kept for the next build in this process (``watch``): it holds
        # the live one's entries anyway. A full build's is read again, if ever.
        kept = None if files.entries is None else {**work.manifest, **files.entries}
        manifest.finish(info, skipped, kept)
    finally:
        manifest.close()
    return Written(sorted(reports, key=lambda report: report.path), documents, sum(batch.runs for batch in batches))


class _FilesDone:
    """Where a build puts each file as it is done: its report kept, its manifest entry written
    to the new manifest (and kept too when ``keep_entries``), and ``progress`` told."""

    def __init__(self, manifest: ManifestWriter, keep_entries: bool, total: int, progress: ProgressCallback | None):
        self.manifest = manifest
        self.reports: list[FileReport] = []
        self.entries: dict[str, dict] | None = {} if keep_entries else None
        self.total = total
        self.progress = progress

    def __call__(self, file: FileDone) -> None:
        self.reports.append(file.report)
        if file.entry:
            self.manifest.put(file.report.path, file.entry)
            if self.entries is not None:
                self.entries[file.report.path] = file.entry
        if self.progress:
            self.progress(file.report, len(self.reports), self.total)


def _start(new: NewGeneration) -> FileIndex:
    """The new generation's folder, with Whoosh's index in it: new for a full build, else the
    base generation's files linked (none of them is ever rewritten)."""
    new.path.mkdir()
    (new.path / READERS).touch()
    storage = FileStorage(str(new.path))
    if new.base is None:
        return storage.create_index(make_schema())
    for path in new.base.iterdir():
        if path.is_file() and path.name not in (READERS, RETIRED, MANIFEST, TABLE) and not path.name.endswith("LOCK"):
            os.link(path, new.path / path.name)
    return storage.open_index()


def _index_files(
    ix: FileIndex, new: NewGeneration, work: Plan, indexing: Indexing, done: Callable[[FileDone], None]
) -> list[BatchResult]:
    """Index the files of ``work``: in worker processes for a full build of many files, else
    here, in one commit with the removals; ``done`` hears of each file as it is done."""
    workers = min(indexing.procs, len(work.to_index) // FILES_PER_WORKER)
    if new.base is None and workers > 1:
        batches = _keyed(deal(work.to_index, workers), new.first_key)
        return index_in_parallel(str(new.path), new.number, batches, indexing.writer, done)
    batch = _keyed([work.to_index], new.first_key)[0]
    return [_index_here(ix, work.removed, batch, new, indexing.writer, done)]


def _skipped_in_reading(work: Plan, reports: list[FileReport]) -> dict[str, dict]:
    """The files to index that reading skipped, as the manifest keeps them."""
    candidates = {candidate.relative: candidate for candidate, _status in work.to_index}
    return {
        report.path: skipped_entry(candidates[report.path], report.reason or "")
        for report in reports
        if report.status == "skipped" and report.path in candidates
    }


def _write_table(
    new: NewGeneration, batches: list[BatchResult], live_keys: np.ndarray, whoosh_index: FileIndex
) -> None:
    """Write the table of documents by key: the base generation's, with the batches' rows
    added; ``live_keys`` are the documents the new generation holds."""
    base_table = ArrayFile(new.base / TABLE, TABLE_FORMAT) if new.base is not None else None
    try:
        docnums = _docnums(whoosh_index, live_keys)
        write_table(new.path, [batch.rows for batch in batches], live_keys, docnums, base_table)
    finally:
        for batch in batches:
            batch.rows.discard()
        if base_table is not None:
            base_table.close()


def _docnums(ix, keys: np.ndarray) -> np.ndarray:
    """The number in Whoosh's index of each of the live documents ``keys``."""
    with ix.reader() as reader:
        if not reader.doc_count():
            return np.zeros(0, dtype=np.int64)
        # The key column read whole, the few deleted documents passed over (asking Whoosh
        # whether each document is deleted takes longer than reading the column).
        column = numeric_column(reader, "key")
        live = np.ones(column.size, dtype=bool)
        live[[offset + docnum for leaf, offset in reader.leaf_readers() for docnum in leaf.deleted_docs_set]] = False
    numbers = np.flatnonzero(live)
    order = np.argsort(column[numbers], kind="stable")
    numbers = numbers[order]
    by_key = column[numbers]
    found = np.minimum(np.searchsorted(by_key, keys), max(by_key.size - 1, 0))
    if keys.size and (not by_key.size or (by_key[found] != keys).any()):
        raise BuildError("the manifest names documents the new index does not hold")
    return numbers[found]


def _compact_parts(new: NewGeneration, full_parts: tuple[str, ...]) -> None:
    """Merge the parts of incremental builds once there are too many (every search reads every
    part). The parts of the full build (``full_parts``), the oldest, stay as they are."""
    stems = part_stems(new.path)
    if len(stems) <= MAX_PARTS:
        return
    later = [stem for stem in stems if stem.name not in full_parts]
    merge(later, new.path / part_name(new.number, "merged"))
    for stem in later:
        for path in files(stem):
            path.unlink()


def _keyed(batches: list[list[tuple]], first_key: int) -> list[Batch]:
    """Give each batch its keys; within a batch they increase (a part needs that). A file that
    is no container gives one document at most, so a batch of them needs a key a file; the
    containers, whose documents are counted only as they are read, are in the last batch
    (``workers.deal``), which takes the keys from the end of the others' on."""
    keyed, key = [], first_key
    for number, batch in enumerate(batches):
        items = [Item(candidate, status) for candidate, status in batch]
        last = number == len(batches) - 1
        keyed.append(Batch(items, key, None if last else key + len(items) - 1))
        key += len(items)
    return keyed


def _index_here(
    ix: FileIndex,
    removed: list[str],
    batch: Batch,
    new: NewGeneration,
    settings: WriterSettings,
    done: Callable[[FileDone], None],
) -> BatchResult:
    """Delete the documents of the files ``removed`` (every document each held) and add
    ``batch``, in this process, in one commit."""
    writer = ix.writer()
    postings = PostingsBuffer(new.path, part_name(new.number, 0), settings.memory_mb)
    try:
        for path in removed:
            writer.delete_by_term("root", path)
        result = add_batch(writer, postings, batch, settings, done)
        writer.commit()
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    return result
