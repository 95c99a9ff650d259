"""Building the index: full and incremental builds, each publishing a new generation.

A build with anything to do writes a new generation (see ``generations``) and publishes it
atomically; one that finds nothing added, changed or removed (files skipped before and
unchanged since are not read again) writes none. A full build of many files splits them among
worker processes (``workers``); an incremental build starts from hard links to the live
generation's files, which Whoosh never rewrites, deletes what changed or went away, and adds
what is new.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import gc
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from ..version import __version__
from .adding import Item, WriterSettings, add_file, part_name
from .arrays import ArrayFile
from .generations import READERS, RETIRED, collect_garbage, current_generation, next_generation, publish, writer_lock
from .manifest import MANIFEST, read_manifest, write_manifest
from .plan import Plan, plan, skipped_entry
from .postings.buffer import PostingsWriter
from .postings.merge import merge
from .postings.part import files, part_stems
from .report import BuildError, BuildReport, FileReport
from .schema import SCHEMA_VERSION, make_schema
from .table import TABLE, write_table
from .workers import FEW_COLLECTIONS, deal, index_in_parallel

# Past this many parts in a generation, those of incremental builds are merged into one.
MAX_PARTS = 8

# A full build uses worker processes when there are at least this many files per worker.
FILES_PER_WORKER = 50

ProgressCallback = Callable[[FileReport, int, int], None]


def build(
    documents_dir: Path,
    index_dir: Path,
    *,
    full: bool = False,
    procs: int = 1,
    max_file_bytes: int = 50_000_000,
    lock_timeout: float = 60,
    grace: float = 0,
    progress: ProgressCallback | None = None,
    writer: WriterSettings | None = None,
) -> BuildReport:
    """Bring the index in ``index_dir`` up to date with ``documents_dir`` and publish it.

    By default only added, changed and removed files are processed; ``full`` rebuilds from
    scratch, with ``procs`` worker processes. Files that cannot be read are skipped and
    reported; the rest are indexed. Raises ``IndexLocked`` when another build runs too long,
    ``BuildError`` when this one fails (the previous index stays live and complete). Old
    generations are deleted once no server here holds them and ``grace`` seconds have passed
    since they were replaced.
    """
    if not documents_dir.is_dir():
        raise FileNotFoundError(f"documents directory not found: {documents_dir}")
    settings = writer or WriterSettings(max_file_bytes=max_file_bytes)
    started = time.monotonic()
    notes: list[str] = []
    with writer_lock(index_dir, lock_timeout, notes), _few_collections():
        collect_garbage(index_dir, grace)
        live = current_generation(index_dir)
        old_manifest = read_manifest(live) if live else {}
        if live and old_manifest.get("schema") != SCHEMA_VERSION:
            notes.append("the index was built by another version: rebuilding it in full")
            full = True
        if live is None:
            full = True
        # A file skipped by another version, or under another size limit, is read again.
        read_with = {"version": __version__, "max_file_bytes": settings.max_file_bytes}
        skipped = old_manifest.get("skipped", {}) if old_manifest.get("read_with") == read_with else {}
        work = plan(
            documents_dir,
            None if full else old_manifest.get("files", {}),
            settings.max_file_bytes,
            None if full else skipped,
        )
        if not full and work.nothing_to_do:
            documents = old_manifest.get("documents", 0)
            report = BuildReport(work.reports, full, live.name if live else None, documents, notes=notes)
            report.up_to_date = True
            report.seconds = time.monotonic() - started
            return report
        generation = next_generation(index_dir)
        first_key = 0 if full else old_manifest.get("next_key", 0)
        try:
            documents, runs = _write_generation(
                generation, None if full else live, work, documents_dir, settings, procs, progress, first_key, read_with
            )
            publish(index_dir, generation)
        except BaseException as error:
            shutil.rmtree(generation, ignore_errors=True)
            failure = _build_error(error, generation)
            if failure is error:
                raise
            raise failure from error
        collect_garbage(index_dir, grace)
    report = BuildReport(work.reports, full, generation.name, documents, notes=notes, sorted_runs=runs)
    report.seconds = time.monotonic() - started
    return report


def _build_error(error: BaseException, generation: Path) -> BaseException:
    """The error to raise for a failed build: a ``BuildError`` for a disk or database failure."""
    full_disk = (isinstance(error, OSError) and error.errno == errno.ENOSPC) or (
        isinstance(error, sqlite3.Error) and "full" in str(error)
    )
    if full_disk:
        return BuildError(f"no space left on the device while writing {generation}; the previous index is unchanged")
    if isinstance(error, OSError | sqlite3.Error):
        return BuildError(f"could not write the index ({error}); the previous index is unchanged")
    return error


def _write_generation(
    generation: Path,
    base: Path | None,
    work: Plan,
    documents_dir: Path,
    settings: WriterSettings,
    procs: int,
    progress: ProgressCallback | None,
    first_key: int,
    read_with: dict,
) -> tuple[int, int]:
    """Write the new generation; the number of documents it holds and the sorted runs written.
    ``read_with`` (the version and the size limit) is kept with the files reading skipped."""
    generation.mkdir()
    (generation / READERS).touch()
    storage = FileStorage(str(generation))
    if base is None:
        ix = storage.create_index(make_schema())
    else:
        for path in base.iterdir():
            if (
                path.is_file()
                and path.name not in (READERS, RETIRED, MANIFEST, TABLE)
                and not path.name.endswith("LOCK")
            ):
                os.link(path, generation / path.name)
        ix = storage.open_index()
    expected = ix.doc_count() - len(work.removed_ids)
    number = generation.name.removeprefix("gen-")
    workers = min(procs, len(work.to_index) // FILES_PER_WORKER)
    if base is None and workers > 1:
        batches = _keyed(deal(work.to_index, workers), first_key)
        results = index_in_parallel(str(generation), number, batches, settings, progress)
    else:
        batch = _keyed([work.to_index], first_key)[0]
        results = [_index_here(ix, work.removed_ids, batch, generation, number, settings, progress)]
    runs = 0
    rows = []
    for reports, manifest, batch_rows, batch_runs in results:
        work.reports.extend(reports)
        work.manifest.update(manifest)
        rows += batch_rows
        expected += len(manifest)
        runs += batch_runs
    candidates = {candidate.relative: candidate for candidate, _status in work.to_index}
    for report in work.reports:
        if report.status == "skipped" and report.path in candidates:
            work.skipped[report.path] = skipped_entry(candidates[report.path], report.reason or "")
    if base is not None:
        _compact_parts(generation, number)
    whoosh_index = FileIndex(storage)
    documents = whoosh_index.doc_count()
    if documents != expected:
        raise BuildError(f"the new index holds {documents} documents where {expected} were written")
    base_table = ArrayFile(base / TABLE) if base is not None else None
    try:
        live_keys = [entry["key"] for entry in work.manifest.values()]
        write_table(generation, rows, live_keys, _docnums(whoosh_index), base_table)
    finally:
        if base_table is not None:
            base_table.close()
    info = {
        "schema": SCHEMA_VERSION,
        "documents": documents,
        "next_key": first_key + len(work.to_index),
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        # Resolved: a server started elsewhere finds the originals there (``web.originals``).
        "documents_dir": str(documents_dir.resolve()),
        "read_with": read_with,
    }
    write_manifest(generation, info, work.manifest, base, work.previous, work.skipped)
    work.reports.sort(key=lambda report: report.path)
    return documents, runs


def _docnums(ix) -> dict[int, int]:
    """Each live document's key -> its number in Whoosh's index."""
    with ix.reader() as reader:
        if not reader.doc_count():
            return {}
        # The key column read in order, the few deleted documents passed over (asking Whoosh
        # whether each document is deleted takes longer than reading the column).
        deleted = {offset + docnum for leaf, offset in reader.leaf_readers() for docnum in leaf.deleted_docs_set}
        return {key: docnum for docnum, key in enumerate(reader.column_reader("key")) if docnum not in deleted}


def _compact_parts(generation: Path, number: str) -> None:
    """Merge the parts of incremental builds once there are too many (every search reads every
    part). The parts of the full build, the oldest, stay as they are."""
    stems = part_stems(generation)
    if len(stems) <= MAX_PARTS:
        return
    oldest = stems[0].name.split("-")[1]
    later = [stem for stem in stems if stem.name.split("-")[1] != oldest]
    merge(later, generation / part_name(number, "merged"))
    for stem in later:
        for path in files(stem):
            path.unlink()


def _keyed(batches: list[list[tuple]], first_key: int) -> list[list[Item]]:
    """Give each file a key; within a batch the keys increase (a part needs that)."""
    keyed, key = [], first_key
    for batch in batches:
        keyed.append([(candidate, status, key + offset) for offset, (candidate, status) in enumerate(batch)])
        key += len(batch)
    return keyed


def _index_here(
    ix: FileIndex,
    removed_ids: list[str],
    batch: list[Item],
    generation: Path,
    number: str,
    settings: WriterSettings,
    progress: ProgressCallback | None,
):
    """Delete the removed documents and add ``batch``, in this process, in one commit."""
    writer = ix.writer()
    postings = PostingsWriter(generation, part_name(number, 0), settings.memory_mb)
    reports: list[FileReport] = []
    manifest: dict = {}
    rows = []
    try:
        for doc_id in removed_ids:
            writer.delete_by_term("id", doc_id)
        for done, item in enumerate(batch, 1):
            report, entry, row = add_file(writer, postings, item, settings)
            reports.append(report)
            if entry:
                manifest[item[0].relative] = entry
                rows.append(row)
            if progress:
                progress(report, done, len(batch))
        postings.close()
        writer.commit()
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    return reports, manifest, rows, postings.runs_written


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """Let the garbage collector run less often while a build runs."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*FEW_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
