"""The Han pair index: which documents hold each pair of adjacent Chinese characters, and how often.

A Chinese word of two characters is a phrase of two single-character terms, and the characters
of the commonest words (人, 權, 政, 府) each stand in most Chinese documents: finding where two
of them meet by comparing positions means testing thousands of documents. This index answers a
pair directly, and narrows a longer word to the documents holding all of its pairs.

Each build writes the pairs of the documents it indexed into files of its own (SQLite, never
changed once written), keyed by each document's stable key, not by Whoosh's document number,
which changes when segments merge. A generation reads every pairs file it holds; ``merge_files``
folds the small files of incremental builds into one, leaving out documents since removed.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Container, Iterable
from functools import partial
from operator import methodcaller
from pathlib import Path

from .gaps import decode, encode

PAIRS_GLOB = "pairs-*.sqlite"
# Past this many pairs files in a generation, those of incremental builds are merged into one.
MAX_PAIRS_FILES = 8
# Postings held in memory before they are written out as a part of the file.
FLUSH_POSTINGS = 8_000_000


class PairWriter:
    """Collects (document key, pair counts) and writes them to one pairs file.

    A document that holds a pair three times is listed three times under it: the count is the
    length of the run, and the work of adding a document is done by C loops (``map``, ``deque``).
    """

    def __init__(self, path: Path, flush_postings: int = FLUSH_POSTINGS) -> None:
        self.path = path
        self._flush_postings = flush_postings
        self._pending: defaultdict[str, array] = defaultdict(partial(array, "I"))
        self._postings = 0
        self._part = 0
        self._written = 0
        self._connection: sqlite3.Connection | None = None

    def add(self, key: int, pairs: Counter[str]) -> None:
        """Record the pairs of the document ``key``; keys must not decrease from call to call."""
        deque(map(methodcaller("append", key), map(self._pending.__getitem__, pairs.elements())), maxlen=0)
        self._postings += pairs.total()
        if self._postings >= self._flush_postings:
            self._flush()

    def add_postings(self, pair: str, keys: Iterable[int]) -> None:
        """Record ``pair`` in the documents ``keys`` (a key once per occurrence), in key order."""
        pending = self._pending[pair]
        before = len(pending)
        pending.extend(keys)
        self._postings += len(pending) - before
        if self._postings >= self._flush_postings:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._connection is None:
            self._connection = sqlite3.connect(self.path)
            self._connection.executescript(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                "CREATE TABLE pairs (pair TEXT NOT NULL, part INTEGER NOT NULL, docs BLOB NOT NULL,"
                " PRIMARY KEY (pair, part)) WITHOUT ROWID;"
            )
        rows = ((pair, self._part, encode(keys)) for pair, keys in self._pending.items())
        self._connection.executemany("INSERT INTO pairs VALUES (?, ?, ?)", rows)
        self._connection.commit()
        self._written += self._postings
        self._pending = defaultdict(partial(array, "I"))
        self._postings = 0
        self._part += 1

    def close(self) -> int:
        """Write what is left; return how many postings the file holds (0: no file)."""
        self._flush()
        if self._connection is not None:
            self._connection.close()
        return self._written


def merge_files(sources: Iterable[Path], target: Path, live: Container[int]) -> int:
    """Write the postings of the documents ``live`` in ``sources`` to ``target``; return how
    many it holds (0: no file written). Meant for small files: it holds them in memory."""
    merged: defaultdict[str, list[int]] = defaultdict(list)
    for source in sources:
        connection = sqlite3.connect(f"file:{source}?mode=ro&immutable=1", uri=True)
        try:
            for pair, value in connection.execute("SELECT pair, docs FROM pairs"):
                merged[pair] += (key for key in decode(value) if key in live)
        finally:
            connection.close()
    writer = PairWriter(target)
    for pair, keys in merged.items():
        if keys:
            writer.add_postings(pair, sorted(keys))
    return writer.close()


def compact(generation: Path, merged_name: str, live_keys: Container[int]) -> None:
    """Merge the pairs files of incremental builds once there are too many (every search of a
    Chinese word reads every file), leaving out removed documents. The files of the full build,
    the oldest, stay as they are."""
    files = sorted(generation.glob(PAIRS_GLOB))
    if len(files) <= MAX_PAIRS_FILES:
        return
    oldest = _build_number(files[0])
    later = [path for path in files if _build_number(path) != oldest]
    merge_files(later, generation / merged_name, live_keys)
    for path in later:
        path.unlink()


def _build_number(pairs_file: Path) -> str:
    """The build that wrote a pairs file: ``pairs-000007-0.sqlite`` -> ``000007``."""
    return pairs_file.name.split("-")[1]


class PairReader:
    """Every pairs file of a generation, opened read-only."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._connections = [
            sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            for path in sorted(paths)
        ]

    def postings(self, pair: str) -> Counter[int]:
        """How often ``pair`` occurs in each document holding it, by document key."""
        counts: Counter[int] = Counter()
        for connection in self._connections:
            for (value,) in connection.execute("SELECT docs FROM pairs WHERE pair = ?", (pair,)):
                counts.update(decode(value))
        return counts

    def size(self, pair: str) -> int:
        """How many bytes the lists of ``pair`` take: how common it is, without reading it."""
        total = 0
        for connection in self._connections:
            (found,) = connection.execute("SELECT total(length(docs)) FROM pairs WHERE pair = ?", (pair,)).fetchone()
            total += int(found)
        return total

    def close(self) -> None:
        """Close every file."""
        for connection in self._connections:
            connection.close()
        self._connections = []
