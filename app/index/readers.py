"""Reading the index: the generation CURRENT names, held open while searches use it.

A server holds a shared lock on the READERS file of each generation it reads, so that a build
deletes a generation only once no server reads it; it follows CURRENT without a restart.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index

from .generations import CURRENT, READERS, collect_garbage_if_idle, current_generation
from .postings.part import Part, part_stems
from .postings.terms import TermIndex
from .table import TABLE, Table
from .textstore import StoredDocument


class IndexMissing(RuntimeError):
    """There is no index to search yet."""


class Generation:
    """One published generation, open for searching; servers hold its READERS lock shared."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._readers = open(path / READERS, "rb")  # noqa: SIM115 - held while the generation is open
        try:
            fcntl.flock(self._readers, fcntl.LOCK_SH)
            if not (path / READERS).exists():  # deleted between reading CURRENT and locking
                raise FileNotFoundError(path)
            try:
                if not (path / TABLE).exists():
                    raise ValueError(f"it has no {TABLE}")
                self.index = whoosh_index.open_dir(str(path))
            except (ImportError, AttributeError, EOFError, ValueError) as error:  # another version
                raise IndexMissing(
                    f"the index in {path} was written by another version of archive-search ({error}): "
                    "rebuild it with `archive-search index`"
                ) from None
            self.searcher = self.index.searcher()
            self.table = Table(path)
            self.terms = TermIndex([Part(stem) for stem in part_stems(path)], self.table.live)
        except BaseException:
            self._readers.close()
            raise
        self.users = 0
        self.retired = False
        self.cache: dict = {}

    def document(self, key: int) -> StoredDocument:
        """The document ``key`` as stored: record, text and token offsets."""
        docnum = int(self.table.docnum[key])
        body, offsets, _keys = self._columns()
        return StoredDocument(self.searcher.stored_fields(docnum)["record"], body[docnum], offsets[docnum])

    def key_of(self, doc_id: str) -> int | None:
        """The key of the live document ``doc_id``, or None."""
        docnum = self.searcher.document_number(id=doc_id)
        return None if docnum is None else int(self._columns()[2][docnum])

    def _columns(self):
        columns = self.cache.get("columns")
        if columns is None:
            reader = self.searcher.reader()
            columns = self.cache["columns"] = tuple(reader.column_reader(name) for name in ("body", "offsets", "key"))
        return columns

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
