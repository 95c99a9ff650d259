"""Reading the index: the generation CURRENT names, held open while searches use it.

A server holds a shared lock on the READERS file of each generation it reads, so that a build
deletes a generation only once no server reads it; it follows CURRENT without a restart. On a
volume shared between machines, where one machine cannot see another's locks (or there are
none), servers may take no lock and rely on the grace period of ``generations`` instead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index

from .checksums import CorruptFile, check_opening
from .codec import OtherFormat
from .compiled_glossary import use_compiled
from .generations import CURRENT, READERS, collect_garbage_if_idle, current_generation, lock_shared
from .manifest import build_facts, warned_files
from .postings.part import Part, part_stems
from .postings.terms import TermIndex
from .schema import SCHEMA_VERSION
from .table import Table
from .textstore import StoredDocument, unpack_record

log = logging.getLogger(__name__)


class IndexMissing(RuntimeError):
    """There is no index to search yet."""


# What a generation keeps once it is made, by name (``Generation.memo``), and who makes it: each
# lives as long as the generation, since it is made from the generation's files alone.
MEMOS = {
    "columns": "Whoosh's column readers of the body, the offsets, the concepts and the key (here)",
    "warnings": "the warnings of each file, read from the manifest (here)",
    "documents_dir": "the folder the generation was built from, as the manifest records it (here)",
    "parser": "the query parser of the generation's schema (query.parse)",
    "weighting": "BM25's document lengths and their average (query.bm25)",
    "facets": "each facet's values and their documents (service.facets)",
    "copies": "the groups of copies, each live document's and their members (service.copies)",
    "results": "the evaluations of recent searches (service.cache)",
}

_Made = TypeVar("_Made")


class Generation:
    """One published generation, open for searching; its READERS lock held shared, if ``lock``."""

    def __init__(self, path: Path, lock: bool = True, keep_positions: bool = True) -> None:
        self.path = path
        self._readers = open(path / READERS, "rb")  # noqa: SIM115 - held while the generation is open
        try:
            # False on a volume that takes no locks: the generation is read all the same.
            self.locked = lock and lock_shared(self._readers)
            if not (path / READERS).exists():  # deleted between reading CURRENT and locking
                raise FileNotFoundError(path)
            try:
                check_opening(path)  # cheap: each file's length, and the archive's own headers and footers
                schema = build_facts(path).get("schema", SCHEMA_VERSION)  # Whoosh's fields are read lazily
                if schema != SCHEMA_VERSION:
                    raise OtherFormat(path, f"schema {schema}, not {SCHEMA_VERSION}")
                self.index = whoosh_index.open_dir(str(path))
                self.searcher = self.index.searcher()
                self.table = Table(path)
                self.terms = TermIndex([Part(stem) for stem in part_stems(path)], self.table.live, keep_positions)
                use_compiled(path)  # the glossary as built, if this process has not read it
            except (ImportError, AttributeError, EOFError, ValueError, CorruptFile) as error:
                raise IndexMissing(
                    f"the index in {path} was written by another version of archive-search, or is damaged ({error}): "
                    "rebuild it with `archive-search index --full`"
                ) from None
        except BaseException:
            self._readers.close()
            raise
        self.users = 0
        self.retired = False
        self._memos: dict[str, object] = {}
        self._memo_locks = {name: threading.Lock() for name in MEMOS}
        # Whoosh's readers are not made for threads: its files are read under this lock (a
        # page's records, the id of a document), the postings with os.pread, lock-free.
        self.whoosh_lock = threading.Lock()

    def record(self, key: int) -> dict:
        """The stored record (the metadata) of document ``key``, its text not read."""
        with self.whoosh_lock:
            return unpack_record(self._columns()["record"][int(self.table.docnum[key])])

    def document(self, key: int) -> StoredDocument:
        """The document ``key`` as stored: record, text, token offsets and concepts named."""
        docnum = int(self.table.docnum[key])
        with self.whoosh_lock:
            columns = self._columns()
            record = unpack_record(columns["record"][docnum])
            return StoredDocument(
                record, columns["body"][docnum], columns["offsets"][docnum], columns["concepts"][docnum]
            )

    def key_of(self, doc_id: str) -> int | None:
        """The key of the live document ``doc_id``, or None."""
        with self.whoosh_lock:
            docnum = self.searcher.document_number(id=doc_id)
            return None if docnum is None else int(self._columns()["key"][docnum])

    def memo(self, name: str, factory: Callable[[], _Made]) -> _Made:
        """The generation's object ``name`` (one of ``MEMOS``): made by ``factory`` on first
        use, the same object after. Two threads asking at once make it once; a name not in
        ``MEMOS`` is a ``KeyError``."""
        if name in self._memos:
            return self._memos[name]
        lock = self._memo_locks.get(name)
        if lock is None:
            raise KeyError(f"{name!r} is not one of a generation's memos ({', '.join(MEMOS)})")
        with lock:
            if name not in self._memos:
                self._memos[name] = factory()
            return self._memos[name]

    @property
    def memoized(self) -> frozenset[str]:
        """The names of the memos made so far."""
        return frozenset(self._memos)

    def warnings(self, path: str) -> list[str]:
        """What reading the file at ``path`` warned of when it was indexed (the manifest keeps it)."""
        return self.memo("warnings", lambda: warned_files(self.path)).get(path, [])

    @property
    def documents_dir(self) -> Path | None:
        """The folder this generation was built from, as its build resolved it; None when the
        manifest does not say (a generation built before it was recorded resolved)."""

        def documents_dir() -> Path | None:
            recorded = build_facts(self.path).get("documents_dir")
            absolute = isinstance(recorded, str) and os.path.isabs(recorded)
            return Path(recorded) if absolute else None

        return self.memo("documents_dir", documents_dir)

    def _columns(self) -> dict:
        """Whoosh's readers of the columns a document's page and results read, by name."""

        names = ("record", "body", "offsets", "concepts", "key")
        return self.memo("columns", lambda: {name: self.searcher.reader().column_reader(name) for name in names})

    @property
    def doc_count(self) -> int:
        """Documents in this generation."""
        return self.table.documents

    def close(self) -> None:
        """Close the index and let the generation be collected."""
        self.terms.close()
        self.table.close()
        self.searcher.close()
        self.index.close()
        self._readers.close()


class LiveIndex:
    """The index a server reads: always the generation CURRENT names, reopened when it moves.

    Without ``follow``, each use checks CURRENT and opens a new generation there and then (the
    command line, tests). A server calls ``follow``: a thread then opens and warms each new
    generation (``warm``) in the background, and searches move to it once it is ready, so no
    search waits for a generation to open. ``lock_readers`` and ``grace`` are the settings
    READER_LOCKS and GENERATION_GRACE; with ``one_search`` (a process that searches once), its
    generations keep no decoded positions for later searches.
    """

    def __init__(
        self,
        index_dir: Path,
        warm: Callable[[Generation], None] | None = None,
        *,
        lock_readers: bool = True,
        grace: float = 0,
        one_search: bool = False,
    ) -> None:
        self.index_dir = index_dir
        self._warm, self._one_search = warm, one_search
        self._lock_readers = lock_readers
        self._grace = grace
        self._generation: Generation | None = None
        self._stamp: tuple | None = None
        self._lock = threading.Lock()
        self._following = threading.Event()
        self._stopped = threading.Event()
        self._said_no_locks = False  # said once, not at every generation

    def _current_stamp(self) -> tuple | None:
        try:
            info = os.stat(self.index_dir / CURRENT)
        except FileNotFoundError:
            return None
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    def _open(self) -> Generation:
        """The generation CURRENT names, opened and warmed."""
        for _attempt in range(5):
            path = current_generation(self.index_dir)
            if path is None:
                raise IndexMissing(f"no index in {self.index_dir}: build it with `archive-search index`")
            try:
                generation = Generation(path, self._lock_readers, keep_positions=not self._one_search)
                break
            except FileNotFoundError:
                time.sleep(0.05)  # a build swapped generations under us: read CURRENT again
        else:
            raise IndexMissing(f"the index in {self.index_dir} keeps changing; try again")
        if self._lock_readers and not generation.locked and not self._said_no_locks:
            self._said_no_locks = True
            log.warning(
                "cannot lock %s: reading without locks; set ARCHIVE_READER_LOCKS=0 to say so, "
                "and keep GENERATION_GRACE longer than a server takes to move to a new generation",
                path / READERS,
            )
        if self._warm is not None:
            try:
                self._warm(generation)
            except Exception:
                generation.close()
                raise
        return generation

    def _swap(self, generation: Generation, stamp: tuple | None) -> None:
        """Make ``generation`` the one searches use (call with the lock held)."""
        old, self._generation, self._stamp = self._generation, generation, stamp
        if old is not None:
            old.retired = True
            if old.users == 0:
                self._let_go(old)

    def _refresh(self) -> Generation:
        stamp = self._current_stamp()
        if self._generation is None or (stamp != self._stamp and not self._following.is_set()):
            self._swap(self._open(), stamp)
        return self._generation

    def follow(self, interval: float = 0.2) -> None:
        """Open the live generation now if there is one, then follow CURRENT from a background
        thread (which also opens the first generation when a build publishes it)."""
        with self._lock, contextlib.suppress(IndexMissing):
            self._refresh()
        if self._following.is_set():
            return
        self._following.set()
        threading.Thread(target=self._follow, args=(interval,), name="follow-index", daemon=True).start()

    def _follow(self, interval: float) -> None:
        refused = None  # CURRENT as it was when it named a generation that could not be served
        while not self._stopped.wait(interval):
            stamp = self._current_stamp()
            if stamp == self._stamp or stamp is None:
                continue
            try:
                generation = self._open()
            except (IndexMissing, OSError) as error:  # a build moving things, or a damaged generation
                if stamp != refused:  # said once; looked at again at the next tick
                    log.error("%s; still serving %s", error, self._generation and self._generation.path)
                refused = stamp
                continue
            with self._lock:
                self._swap(generation, stamp)

    def _let_go(self, generation: Generation) -> None:
        generation.close()
        collect_garbage_if_idle(self.index_dir, self._grace)

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
        """Stop following and close the open generation."""
        self._stopped.set()
        with self._lock:
            if self._generation is not None:
                self._generation.close()
                self._generation = None
                self._stamp = None
