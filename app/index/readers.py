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
from .hanpairs import PAIRS_GLOB, PairReader
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
                self.index = whoosh_index.open_dir(str(path))
            except (ImportError, AttributeError, EOFError) as error:  # the schema's classes moved
                raise IndexMissing(
                    f"the index in {path} was written by another version of archive-search ({error}): "
                    "rebuild it with `archive-search index`"
                ) from None
            self.searcher = self.index.searcher()
        except BaseException:
            self._readers.close()
            raise
        self.users = 0
        self.retired = False
        self.cache: dict = {}

    @property
    def pairs(self) -> PairReader:
        """The pairs files of this generation."""
        reader = self.cache.get("pairs")
        if reader is None:
            reader = self.cache["pairs"] = PairReader(self.path.glob(PAIRS_GLOB))
        return reader

    def docnums_of_keys(self) -> dict[int, int]:
        """Document key -> document number, for the documents that are live."""
        mapping = self.cache.get("docnums")
        if mapping is None:
            reader = self.searcher.reader()
            keys = reader.column_reader("key")
            mapping = self.cache["docnums"] = {keys[docnum]: docnum for docnum in reader.all_doc_ids()}
        return mapping

    def lengths(self, fieldname: str) -> list[int]:
        """Each document's length in ``fieldname``, by document number (1 where it has none, as
        Whoosh's BM25F counts it), read once for the life of the generation."""
        lengths = self.cache.get(("lengths", fieldname))
        if lengths is None:
            lengths = []
            for leaf, _offset in self.searcher.leaf_searchers():
                lengths += self.segment_lengths(leaf.reader(), fieldname)
            self.cache[("lengths", fieldname)] = lengths
        return lengths

    def segment_lengths(self, reader, fieldname: str) -> list[int]:
        """Each document's length in ``fieldname`` in the segment ``reader`` reads."""
        key = ("segment lengths", id(reader), fieldname)
        lengths = self.cache.get(key)
        if lengths is None:
            lengths = [reader.doc_field_length(docnum, fieldname, 1) for docnum in range(reader.doc_count_all())]
            self.cache[key] = lengths
        return lengths

    def document(self, docnum: int) -> StoredDocument:
        """Document ``docnum`` as stored: record, text and token offsets."""
        columns = self.cache.get("columns")
        if columns is None:
            reader = self.searcher.reader()
            columns = self.cache["columns"] = (reader.column_reader("body"), reader.column_reader("offsets"))
        body, offsets = columns
        return StoredDocument(self.searcher.stored_fields(docnum)["record"], body[docnum], offsets[docnum])

    @property
    def doc_count(self) -> int:
        """Documents in this generation."""
        return self.searcher.doc_count()

    def close(self) -> None:
        """Close the index and let the generation be collected."""
        if "pairs" in self.cache:
            self.cache["pairs"].close()
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
