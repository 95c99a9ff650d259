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
import errno
import gc
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .. import glossary
from ..ingest import OcrSettings
from ..ingest.ocr import INSTALL, UNAVAILABLE, unavailable
from ..ingest.ocr_cache import prune
from ..version import __version__
from .adding import WriterSettings
from .generations import OCR_CACHE, collect_garbage, current_generation, next_generation, publish, writer_lock
from .manifest import read_manifest
from .new_generation import Indexing, NewGeneration, ProgressCallback, write_generation
from .plan import Scope, plan
from .report import BuildError, BuildReport, FileReport
from .schema import SCHEMA_VERSION
from .workers import FEW_COLLECTIONS


def build(
    documents_dir: Path,
    index_dir: Path,
    *,
    full: bool = False,
    procs: int = 1,
    lock_timeout: float = 60,
    grace: float = 0,
    progress: ProgressCallback | None = None,
    writer: WriterSettings = WriterSettings(),  # noqa: B008 - frozen, shared safely
    scope: Scope | None = None,
) -> BuildReport:
    """Bring the index in ``index_dir`` up to date with ``documents_dir`` and publish it.

    By default only added, changed and removed files are processed; ``full`` rebuilds from
    scratch, with ``procs`` worker processes. ``writer`` says how files are read and written
    (the largest file read, the postings' memory). Files that cannot be read are skipped and
    reported; the rest are indexed. Raises ``IndexLocked`` when another build runs too long,
    ``BuildError`` when this one fails (the previous index stays live and complete). Old
    generations are deleted once no server here holds them and ``grace`` seconds have passed
    since they were replaced. An update given a ``scope`` looks only at the files in it, the
    others known unchanged (``plan``). Workers are new interpreters (multiprocessing's spawn),
    so a script that calls this outside ``if __name__ == "__main__":`` runs it again in each.
    """
    if not documents_dir.is_dir():
        raise FileNotFoundError(f"documents directory not found: {documents_dir}")
    started = time.monotonic()
    notes: list[str] = []
    with writer_lock(index_dir, lock_timeout, notes), _few_collections():
        collect_garbage(index_dir, grace)
        live = current_generation(index_dir)
        old_manifest = read_manifest(live) if live else {}
        if live and old_manifest.get("schema") != SCHEMA_VERSION:
            notes.append("the index was built by another version: rebuilding it in full")
            full = True
        elif live and old_manifest.get("glossary") != glossary.fingerprint():
            # Every document names the concepts of the glossary it was indexed with.
            notes.append("the glossary changed: rebuilding the index in full")
            full = True
        if live is None:
            full = True
        writer = _with_ocr_cache(writer, index_dir)
        # A file skipped by another version, under another size limit or other OCR (one not
        # available then), is read again.
        read_with = {"version": __version__, "max_file_bytes": writer.max_file_bytes, "ocr": ocr_state(writer.ocr)}
        skipped = old_manifest.get("skipped", {}) if old_manifest.get("read_with") == read_with else {}
        work = plan(
            documents_dir,
            None if full else old_manifest.get("files", {}),
            writer.max_file_bytes,
            None if full else skipped,
            None if full else scope,
        )
        if not full and work.nothing_to_do:
            documents = old_manifest.get("documents", 0)
            notes += ocr_notes(writer.ocr, work.reports)
            report = BuildReport(work.reports, full, live.name if live else None, documents, notes=notes)
            report.up_to_date = True
            report.seconds = time.monotonic() - started
            return report
        path = next_generation(index_dir)
        if full:
            new = NewGeneration(path, None, 0)
        else:
            new = NewGeneration(path, live, old_manifest.get("next_key", 0), tuple(old_manifest.get("full_parts", ())))
        # Resolved: a server started elsewhere finds the originals there (``web.originals``).
        facts = {"documents_dir": str(documents_dir.resolve()), "read_with": read_with}
        try:
            written = write_generation(new, work, Indexing(writer, procs, progress), facts)
            publish(index_dir, new.path)
        except BaseException as error:
            shutil.rmtree(new.path, ignore_errors=True)
            failure = _build_error(error, new.path)
            if failure is error:
                raise
            raise failure from error
        collect_garbage(index_dir, grace)
        if writer.ocr is not None and writer.ocr.cache:
            prune(writer.ocr.cache, writer.ocr.cache_mb)
    notes += ocr_notes(writer.ocr, written.reports)
    report = BuildReport(written.reports, full, new.path.name, written.documents, notes=notes, sorted_runs=written.runs)
    report.seconds = time.monotonic() - started
    return report


def _with_ocr_cache(writer: WriterSettings, index_dir: Path) -> WriterSettings:
    """``writer`` with its OCR keeping recognised pages in the index's ``ocr-cache/`` folder
    (beside the generations: a new one, a full rebuild or a clean-up keeps it) unless it names one."""
    if writer.ocr is None or writer.ocr.cache:
        return writer
    return replace(writer, ocr=replace(writer.ocr, cache=str(index_dir / OCR_CACHE)))


def ocr_state(ocr: OcrSettings | None) -> dict | str | None:
    """What the reading of scans depended on: None (not read), why OCR could not run, or what
    decides the recognised text."""
    if ocr is None:
        return None
    return unavailable(ocr) or ocr.identity()


def ocr_notes(ocr: OcrSettings | None, reports: list[FileReport]) -> list[str]:
    """Once per build, what to install when files were skipped or pages left out for want of OCR."""
    if ocr is None or not ocr.enabled:
        return []
    wanting = sum(
        1
        for report in reports
        if UNAVAILABLE in (report.reason or "") or any(UNAVAILABLE in warning for warning in report.warnings)
    )
    if not wanting:
        return []
    return [f"{UNAVAILABLE} for {wanting} files (scans and images): {INSTALL}, or set ARCHIVE_OCR=0"]


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


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """Let the garbage collector run less often while a build runs."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*FEW_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
