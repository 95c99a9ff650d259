"""The index: its schema, full and incremental builds, the atomic swap and the writer lock.

The index folder holds generations, each a complete Whoosh index::

    index/
      CURRENT           the name of the live generation, replaced atomically by rename
      gen-000007/       a complete index, its manifest, and READERS (locked shared by servers)
      .write.lock       held by the one build that may run at a time

A build writes a new generation beside the live one (an incremental build starts from hard links
to the live generation's files, which Whoosh never rewrites) and only then points CURRENT at it.
A build killed at any moment leaves CURRENT on a complete generation; servers follow CURRENT
without a restart, and a generation is deleted once no server holds it open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import re
import shutil
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from .analysis import ArchiveAnalyzer
from .ingest import Candidate, Document, SkipFile, discover, document_id, load, read_bytes
from .ingest import content_hash as file_hash

# Bump when the schema or the analysis changes: an index of another version is rebuilt in full.
SCHEMA_VERSION = 1
# The title is indexed with the text, ahead of it, so a word of the title finds the document.
TITLE_SEPARATOR = "\n\n"

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
READERS = "READERS"
WRITE_LOCK = ".write.lock"
_GENERATION = re.compile(r"^gen-(\d{6,})$")
# The languages a filter on ``zh`` finds: every Chinese language and script.
_CHINESE = frozenset({"zh", "cmn", "yue", "nan", "hak", "wuu", "lzh"})


def make_schema() -> Schema:
    """The fields of every document in the index."""
    return Schema(
        id=ID(unique=True),
        # Title and text, analysed once for search, with positions (phrases) and character
        # offsets (highlighting without analysing the text again). A word that analyses into
        # several terms (人權, Hong-Kong) is searched as the phrase of those terms.
        content=TEXT(analyzer=ArchiveAnalyzer(), phrase=True, chars=True, multitoken_query="phrase"),
        # Filters and facets: exact values.
        language=KEYWORD(commas=True, lowercase=False, scorable=False),
        lang=KEYWORD(commas=True, lowercase=False, scorable=False),
        year=KEYWORD(commas=True, lowercase=False, scorable=False),
        author=KEYWORD(commas=True, lowercase=False, scorable=False),
        tag=KEYWORD(commas=True, lowercase=False, scorable=False),
        # Sorting by date: undated documents sort after dated ones either way.
        date_key=NUMERIC(bits=64, sortable=True),
        has_date=NUMERIC(bits=8, sortable=True),
        # What results and document pages show.
        record=STORED(),
        body=STORED(),
    )


def indexed_content(title: str, text: str) -> str:
    """The string the ``content`` field indexes: title, separator, text (offsets refer to it)."""
    return f"{title}{TITLE_SEPARATOR}{text}"


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


def _fields_of(document: Document) -> dict:
    tags = [lang.tag for lang in document.languages]
    year = document.date[:4] if document.date and document.date[:4].isdigit() else ""
    digits = re.sub(r"\D", "", document.date or "")[:14].ljust(14, "0")
    return {
        "id": document.id,
        "content": indexed_content(document.title, document.text),
        "language": ",".join(tags),
        "lang": ",".join(language_filter_terms(tags)),
        "year": year,
        "author": ",".join(_facet_value(name) for name in _author_names(document.author)),
        "tag": ",".join(_facet_value(tag) for tag in document.tags),
        "date_key": int(digits) if document.date else 0,
        "has_date": 1 if document.date else 0,
        "record": record_of(document),
        "body": zlib.compress(document.text.encode("utf-8"), 6),
    }


def _author_names(author: str | None) -> list[str]:
    return [name.strip() for name in (author or "").split(";") if name.strip()]


def _facet_value(value: str) -> str:
    # Commas separate the values of a keyword field.
    return value.replace(",", " ").strip()


def body_text(stored: bytes) -> str:
    """The document text kept in the index."""
    return zlib.decompress(stored).decode("utf-8")


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
        return {
            "full": self.full,
            "generation": self.generation,
            "documents": self.documents,
            "seconds": round(self.seconds, 3),
            "counts": {
                status: self.count(status) for status in ("added", "changed", "removed", "unchanged", "skipped")
            },
            "notes": self.notes,
            "files": [asdict(report) for report in self.files],
        }


class IndexLocked(RuntimeError):
    """Another build holds the writer lock and did not finish in time."""


class BuildError(RuntimeError):
    """The build could not complete; the previous index is untouched and still served."""


class IndexMissing(RuntimeError):
    """There is no index to search yet."""


# -- The writer lock -------------------------------------------------------------------------


@contextlib.contextmanager
def writer_lock(index_dir: Path, timeout: float, notes: list[str] | None = None) -> Iterator[None]:
    """Hold the one writer lock of ``index_dir``, waiting at most ``timeout`` seconds for it.

    The lock is an ``flock``: the kernel releases it when its holder dies, so a lock left by a
    killed build never blocks; its leftover file is recognised and reported as cleared.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / WRITE_LOCK
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole block
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _lock_holder(path)
                    raise IndexLocked(
                        f"another build{holder} holds the index lock {path}; "
                        f"waited {timeout:g} s. Try again when it has finished."
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        previous = handle.read().strip()
        if previous and notes is not None:
            notes.append(f"cleared a stale lock left by a build that did not finish ({previous})")
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {dt.datetime.now().isoformat(timespec='seconds')}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _lock_holder(path: Path) -> str:
    try:
        holder = path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return f" ({holder})" if holder else ""


# -- Generations -----------------------------------------------------------------------------


def current_generation(index_dir: Path) -> Path | None:
    """The live generation's folder, or None when no index has been built."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not _GENERATION.match(name):
        return None
    path = index_dir / name
    return path if path.is_dir() else None


def index_exists(index_dir: Path) -> bool:
    """True when ``index_dir`` holds a live index."""
    return current_generation(index_dir) is not None


def read_manifest(generation: Path) -> dict:
    """The manifest of a generation: schema version and every indexed file's id and hash."""
    try:
        return json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _next_generation(index_dir: Path) -> Path:
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GENERATION.match(p.name))]
    return index_dir / f"gen-{max(numbers, default=0) + 1:06d}"


def _publish(index_dir: Path, generation: Path) -> None:
    """Point CURRENT at ``generation`` in one atomic rename, after its files reach the disk."""
    for path in generation.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(generation)
    temporary = index_dir / f".{CURRENT}.{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(generation.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, index_dir / CURRENT)
    _fsync_dir(index_dir)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def collect_garbage(index_dir: Path) -> list[str]:
    """Delete generations that are neither live nor held by a server; return their names.

    Call it only while holding the writer lock: a generation being built is not live yet.
    """
    live = current_generation(index_dir)
    removed = []
    for path in sorted(index_dir.iterdir()):
        if path == live or not path.is_dir():
            continue
        if path.name.startswith(".trash-"):
            shutil.rmtree(path, ignore_errors=True)
            continue
        if not _GENERATION.match(path.name):
            continue
        if _unused(path):
            trash = index_dir / f".trash-{path.name}"
            os.rename(path, trash)
            shutil.rmtree(trash, ignore_errors=True)
            removed.append(path.name)
    for path in index_dir.glob(f".{CURRENT}.*"):
        path.unlink(missing_ok=True)
    return removed


def collect_garbage_if_idle(index_dir: Path) -> None:
    """Collect unused generations now if no build is running (a server calls this when it lets
    a generation go); otherwise the running build collects them when it publishes."""
    try:
        handle = open(index_dir / WRITE_LOCK, "a+", encoding="utf-8")  # noqa: SIM115
    except OSError:
        return  # a read-only index folder: the next build cleans up
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        try:
            collect_garbage(index_dir)
        except OSError:
            pass
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _unused(generation: Path) -> bool:
    """True when no server holds ``generation``'s READERS lock (or it was never published)."""
    try:
        handle = open(generation / READERS, "rb")  # noqa: SIM115
    except FileNotFoundError:
        return True
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


# -- Building --------------------------------------------------------------------------------

ProgressCallback = Callable[[FileReport, int, int], None]


@dataclass
class _Plan:
    """What a build has to do, worked out from the files and the live manifest."""

    to_index: list[tuple[Candidate, bytes, str]]  # candidate, bytes, status (added/changed)
    reports: list[FileReport]
    removed_ids: list[str]
    manifest: dict


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
    scratch. Files that cannot be read are skipped and reported; the rest are indexed.
    Raises ``IndexLocked`` when another build runs too long, ``BuildError`` when this one fails
    (the previous index stays live and complete).
    """
    if not documents_dir.is_dir():
        raise FileNotFoundError(f"documents directory not found: {documents_dir}")
    started = time.monotonic()
    notes: list[str] = []
    with writer_lock(index_dir, lock_timeout, notes):
        collect_garbage(index_dir)
        live = current_generation(index_dir)
        old_manifest = read_manifest(live) if live else {}
        if live and old_manifest.get("schema") != SCHEMA_VERSION:
            notes.append("the index was built by another version: rebuilding it in full")
            full = True
        if live is None:
            full = True
        plan = _plan(documents_dir, {} if full else old_manifest.get("files", {}), max_file_bytes)
        if not full and not plan.to_index and not plan.removed_ids:
            report = BuildReport(
                plan.reports, full, live.name if live else None, old_manifest.get("documents", 0), notes=notes
            )
            report.notes.append("the index is up to date: nothing to do")
            report.seconds = time.monotonic() - started
            return report
        generation = _next_generation(index_dir)
        try:
            documents = _write_generation(
                generation, live if not full else None, plan, documents_dir, max_file_bytes, procs, progress
            )
            _publish(index_dir, generation)
        except BaseException as error:
            shutil.rmtree(generation, ignore_errors=True)
            if isinstance(error, OSError) and error.errno == errno.ENOSPC:
                raise BuildError(
                    f"no space left on the device while writing {generation}; the previous index is unchanged"
                ) from error
            if isinstance(error, OSError):
                raise BuildError(f"could not write the index ({error}); the previous index is unchanged") from error
            raise
        collect_garbage(index_dir)
    report = BuildReport(plan.reports, full, generation.name, documents, notes=notes)
    report.seconds = time.monotonic() - started
    return report


def _plan(documents_dir: Path, old_files: dict, max_file_bytes: int) -> _Plan:
    """Compare every file's content hash with the live manifest."""
    to_index: list[tuple[Candidate, bytes, str]] = []
    reports: list[FileReport] = []
    manifest: dict = {}
    ids: dict[str, str] = {}
    for candidate in discover(documents_dir):
        if candidate.skip_reason:
            reports.append(FileReport(candidate.relative, "skipped", candidate.skip_reason))
            continue
        doc_id = document_id(candidate.relative)
        if doc_id in ids:
            reports.append(
                FileReport(candidate.relative, "skipped", f"its id {doc_id!r} is already taken by {ids[doc_id]}")
            )
            continue
        try:
            data = read_bytes(candidate.path, max_file_bytes)
        except SkipFile as skip:
            reports.append(FileReport(candidate.relative, "skipped", skip.reason))
            continue
        ids[doc_id] = candidate.relative
        digest = file_hash(data)
        old = old_files.get(candidate.relative)
        if old and old.get("hash") == digest:
            manifest[candidate.relative] = old
            reports.append(FileReport(candidate.relative, "unchanged", languages=old.get("languages", [])))
        else:
            to_index.append((candidate, data, "changed" if old else "added"))
    removed = [path for path in old_files if path not in manifest]
    removed_ids = [old_files[path]["id"] for path in removed]
    for path in removed:
        if not any(item[0].relative == path for item in to_index):
            reports.append(FileReport(path, "removed"))
    return _Plan(to_index, reports, removed_ids, manifest)


def _write_generation(
    generation: Path,
    base: Path | None,
    plan: _Plan,
    documents_dir: Path,
    max_file_bytes: int,
    procs: int,
    progress: ProgressCallback | None,
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
    expected = ix.doc_count()
    multiprocess = base is None and procs > 1 and len(plan.to_index) >= 50 * procs
    writer = ix.writer(procs=procs, multisegment=True, limitmb=128) if multiprocess else ix.writer(limitmb=128)
    try:
        for doc_id in plan.removed_ids:
            writer.delete_by_term("id", doc_id)
        expected -= len(plan.removed_ids)
        total = len(plan.to_index)
        for done, (candidate, data, status) in enumerate(plan.to_index, 1):
            try:
                document = load(candidate.path, candidate.relative, max_file_bytes, data=data)
            except SkipFile as skip:
                report = FileReport(candidate.relative, "skipped", skip.reason)
            except Exception as error:  # a parser's bug must not stop the archive's build
                report = FileReport(
                    candidate.relative, "skipped", f"could not be read: {type(error).__name__}: {error}"
                )
            else:
                writer.add_document(**_fields_of(document))
                expected += 1
                languages = [lang.tag for lang in document.languages]
                plan.manifest[candidate.relative] = {"id": document.id, "hash": document.hash, "languages": languages}
                report = FileReport(candidate.relative, status, languages=languages, warnings=document.warnings)
            plan.reports.append(report)
            if progress:
                progress(report, done, total)
        writer.commit()
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    documents = ix.doc_count()
    ix.close()
    if documents != expected:
        raise BuildError(f"the new index holds {documents} documents where {expected} were written")
    manifest = {
        "schema": SCHEMA_VERSION,
        "documents": documents,
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "documents_dir": str(documents_dir),
        "files": dict(sorted(plan.manifest.items())),
    }
    (generation / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    plan.reports.sort(key=lambda report: report.path)
    return documents


# -- Reading ---------------------------------------------------------------------------------


class Generation:
    """One published generation, open for searching; servers hold its READERS lock shared."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._readers = open(path / READERS, "rb")  # noqa: SIM115 - held while the generation is open
        try:
            fcntl.flock(self._readers, fcntl.LOCK_SH)
            if not (path / READERS).exists():  # deleted between reading CURRENT and locking
                raise FileNotFoundError(path)
            self.index = whoosh_index.open_dir(str(path))
            self.searcher = self.index.searcher()
        except BaseException:
            self._readers.close()
            raise
        self.users = 0
        self.retired = False
        self.cache: dict = {}

    @property
    def doc_count(self) -> int:
        """Documents in this generation."""
        return self.searcher.doc_count()

    def close(self) -> None:
        """Close the index and let the generation be collected."""
        self.searcher.close()
        self.index.close()
        self._readers.close()


class LiveIndex:
    """The index a server reads: always the generation CURRENT names, reopened when it moves."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._generation: Generation | None = None
        self._stamp: tuple | None = None
        self._lock = threading.Lock()

    def _refresh(self) -> Generation:
        try:
            info = os.stat(self.index_dir / CURRENT)
        except FileNotFoundError:
            info = None
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size) if info else None
        if stamp != self._stamp or self._generation is None:
            for _attempt in range(5):
                path = current_generation(self.index_dir)
                if path is None:
                    raise IndexMissing(f"no index in {self.index_dir}: build it with `archive-search index`")
                try:
                    generation = Generation(path)
                    break
                except FileNotFoundError:
                    time.sleep(0.05)  # a build swapped generations under us: read CURRENT again
            else:
                raise IndexMissing(f"the index in {self.index_dir} keeps changing; try again")
            old, self._generation, self._stamp = self._generation, generation, stamp
            if old is not None:
                old.retired = True
                if old.users == 0:
                    self._let_go(old)
        return self._generation

    def _let_go(self, generation: Generation) -> None:
        generation.close()
        collect_garbage_if_idle(self.index_dir)

    @contextlib.contextmanager
    def use(self) -> Iterator[Generation]:
        """The live generation, kept open until the block ends."""
        with self._lock:
            generation = self._refresh()
            generation.users += 1
        try:
            yield generation
        finally:
            with self._lock:
                generation.users -= 1
                if generation.retired and generation.users == 0:
                    self._let_go(generation)

    def close(self) -> None:
        """Close the open generation."""
        with self._lock:
            if self._generation is not None:
                self._generation.close()
                self._generation = None
                self._stamp = None
