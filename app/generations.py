"""The index folder's generations: publishing one atomically, the writer lock, and reading.

The index folder holds generations, each a complete Whoosh index::

    index/
      CURRENT           the name of the live generation, replaced atomically by rename
      gen-000007/       a complete index, its manifest, and READERS (locked shared by servers)
      .write.lock       held by the one build that may run at a time

A build writes a new generation beside the live one and only then points CURRENT at it, so a
build killed at any moment leaves CURRENT on a complete generation. Servers follow CURRENT
without a restart, each holding a shared lock on the generation it reads; a generation is
deleted once it is neither live nor held.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index

from .pairs import PAIRS_GLOB, PairReader
from .scoring import CachedLengthBM25F
from .textstore import StoredDocument

CURRENT = "CURRENT"
READERS = "READERS"
WRITE_LOCK = ".write.lock"
_GENERATION = re.compile(r"^gen-(\d{6,})$")


class IndexLocked(RuntimeError):
    """Another build holds the writer lock and did not finish in time."""


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


def next_generation(index_dir: Path) -> Path:
    """The folder for a new generation: one number past every generation there is."""
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GENERATION.match(p.name))]
    return index_dir / f"gen-{max(numbers, default=0) + 1:06d}"


def publish(index_dir: Path, generation: Path) -> None:
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
            self.weighting = CachedLengthBM25F()
            self.searcher = self.index.searcher(weighting=self.weighting)
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
        """Each document's length in ``fieldname``, by document number (as BM25F counts it)."""
        lengths = self.cache.get(("lengths", fieldname))
        if lengths is None:
            lengths = []
            for leaf, _offset in self.searcher.leaf_searchers():
                lengths += self.weighting.segment_lengths(leaf.reader(), fieldname)
            self.cache[("lengths", fieldname)] = lengths
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
